import type { CandleInterval, EventId } from '@tickstream/client/contract';

/** A stream as the client asked for it, once every value has been checked. */
export interface StreamRequest {
  /** Who asks: a token's subject, or the client's address; counted against the limits. */
  client: string;
  /** The symbols asked for, or every symbol (`symbols=*`), those admitted later included. */
  symbols: readonly string[] | 'all';
  /** The bar intervals asked for (`bars=`); none by default. */
  bars: readonly CandleInterval[];
  /** 0: every tick. */
  throttleMs: number;
  /** Whether a fresh stream opens with a snapshot. */
  snapshot: boolean;
  /** Whether the stream goes on live once caught up, rather than ending (`live=false`). */
  live: boolean;
  /** Where the client left off: an event id, from Last-Event-ID or the lastEventId parameter. */
  resumeFrom?: EventId;
  /** The symbols `resumeFrom` was received for (`resumeSymbols`); unknown: every symbol. */
  resumeSymbols?: readonly string[] | 'all';
  /** A time to replay from, ms since the epoch (`since`), when there is no resume point. */
  since?: number;
  /** When the client's token expires, in ms since the epoch; the stream ends then. */
  expiresAt?: number;
  /** A HEAD request: the headers, and no stream. */
  head: boolean;
}
