import type { Candle, CandleInterval } from './candle.js';
import type { DayFigures } from './day.js';
import type { Quote } from './quote.js';

/** Whether a symbol trades: `halted` by a limit-up/limit-down rule or a feed, `closed` out of hours. */
export const TRADING_STATES = ['open', 'halted', 'closed'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

export function isTradingState(value: unknown): value is TradingState {
  return TRADING_STATES.some((state) => state === value);
}

/** The longest reason a status change may carry: a line of text, not a document. */
export const MAX_STATUS_REASON_LENGTH = 200;

/** `event: status`: a symbol's trading state changed. A halted or closed symbol does not tick. */
export interface StatusData {
  symbol: string;
  state: TradingState;
  /** Why, when the source said so (e.g. "LULD: moved 5.2 % in 5 min"); null otherwise. */
  reason: string | null;
  /** Milliseconds since the epoch when the state changed. */
  ts: number;
}

/**
 * `event: bar`: an OHLCV bar of one symbol. The open bar is sent as it changes, and once more with
 * `final: true` when it closes (again, if a late tick corrects it). A bar with the same symbol,
 * interval and time replaces the one before.
 */
export interface BarData extends Candle {
  symbol: string;
  interval: CandleInterval;
  final: boolean;
}

/** A symbol's trading state, why, and since when. */
export interface StateOf {
  state: TradingState;
  /** Why, when the source said so (e.g. "news pending"); null otherwise, and for a symbol never stopped. */
  stateReason: string | null;
  /** When the state began, in ms since the epoch; null for a symbol that was never stopped. */
  stateSince: number | null;
}

/** A snapshot's entry: the latest quote, the symbol's state, and the day's figures. */
export interface SnapshotQuote extends Quote, StateOf {
  /** The day's open, high, low, volume, previous close and last trade's time. */
  day: DayFigures;
  /** The same as `day.open`, kept for the clients that read it. */
  sessionOpen: number | null;
}
