/**
 * What the streams have done, counted on the hot path as plain numbers (an increment per event
 * must cost next to nothing) and read by GET /metrics when it is scraped.
 */
export class StreamCounters {
  open = 0;
  opened = 0;
  closed = 0;
  eventsSent = 0;
  bytesSent = 0;
  /** Ticks superseded by a newer one of the same symbol before they went out. */
  eventsConflated = 0;
  slowClientsCut = 0;
  /** Ticks sent from history to clients that resumed. */
  eventsReplayed = 0;
  resets = 0;
}
