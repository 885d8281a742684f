import type {
  BarData,
  Quote,
  SnapshotQuote,
  StatusData,
  StreamErrorReason,
} from './contract/index.js';

/** What a subscription yields: the server's events, and the client's own connection state. */
export type StreamEvent =
  /** A connection is established; `resumed`: it continued from a last event id without a reset. */
  | { type: 'open'; resumed: boolean }
  /** The latest quote of each symbol, with its trading state (why, since when) and day. */
  | { type: 'snapshot'; id: string; quotes: SnapshotQuote[] }
  | { type: 'tick'; id: string; quote: Quote }
  /**
   * With `bars`: a bar as it changes, and once more, `final`, when it closes. A bar with the same
   * symbol, interval and time replaces the one before.
   */
  | { type: 'bar'; id: string; bar: BarData }
  /** A symbol's trading state changed: `halted` and `closed` symbols do not tick. */
  | { type: 'status'; id: string; status: StatusData }
  /**
   * A gap: history was lost after `lastEventId`, or does not reach back to `since`; a fresh
   * snapshot follows.
   */
  | { type: 'reset'; lastEventId?: string; since?: number; reason: string }
  | { type: 'heartbeat' }
  /** The server ended the stream because the token expired; the next connection needs a new one. */
  | { type: 'token-expired'; message: string }
  /**
   * The server ended the stream for another reason (its bus fell behind or is out of reach, or
   * it failed); the client reconnects and resumes from the last id, as after any drop.
   */
  | { type: 'ended'; reason: Exclude<StreamErrorReason, 'token_expired'>; message: string }
  | { type: 'reconnecting'; attempt: number; delayMs: number; reason: string };
