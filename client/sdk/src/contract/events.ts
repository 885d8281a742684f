import type { EventId } from './event-id.js';
import type { SnapshotQuote } from './market.js';
import type { Quote } from './quote.js';

/** The `event:` of every frame a stream carries. */
export const STREAM_EVENTS = {
  snapshot: 'snapshot',
  tick: 'tick',
  bar: 'bar',
  status: 'status',
  reset: 'reset',
  error: 'error',
} as const;
export type StreamEventName = (typeof STREAM_EVENTS)[keyof typeof STREAM_EVENTS];

/** `event: snapshot`: the latest quote of each subscribed symbol that has traded. */
export interface SnapshotData {
  quotes: SnapshotQuote[];
}

/** `event: tick` carries one Quote. */
export type TickData = Quote;

/**
 * `event: reset`: the resume point, or the time asked for with `since`, is not covered by
 * history; a snapshot follows.
 */
export interface ResetData {
  /**
   * The id the client asked to resume from, repeated (it was checked to be an event id); absent
   * when it asked for a time.
   */
  lastEventId?: EventId;
  /** The time asked for with `since`, in ms since the epoch, when it was that. */
  since?: number;
  reason: string;
}

/** Why the server ended a stream with `event: error`. */
export const STREAM_ERROR_REASONS = {
  /** The token expired: reconnect with a new one. */
  tokenExpired: 'token_expired',
  /** This instance missed ticks (its bus fell behind): reconnect; a reset follows. */
  historyGap: 'history_gap',
  /** The bus (Redis) is out of reach: reconnect after `retry`. */
  busUnavailable: 'bus_unavailable',
  /** Anything else; the server logged it. Reconnect after `retry`. */
  internalError: 'internal_error',
} as const;
export type StreamErrorReason = (typeof STREAM_ERROR_REASONS)[keyof typeof STREAM_ERROR_REASONS];

/**
 * `event: error`: the server ends the stream on purpose. The frame's id is the last id the
 * stream sent (or the client's resume point), so resuming from it loses nothing.
 */
export interface ErrorData {
  reason: StreamErrorReason;
  message: string;
}
