/** Where a published tick came from: the simulated market, or a feed's POST /api/ticks. */
export type TickSource = 'simulated' | 'ingested';

/**
 * What this process has put into the log, counted as plain numbers where it publishes and read
 * by GET /metrics when it is scraped. Each instance counts its own, so a fleet's sum is the log's.
 */
export class FeedCounters {
  readonly ticks: Record<TickSource, number> = { simulated: 0, ingested: 0 };
  halts = 0;
  /** Times this process took the feed lease over from an earlier holder. */
  takeovers = 0;
  /** Writes of this process's simulated feed that the log refused: its lease was another's. */
  fencedWrites = 0;
}
