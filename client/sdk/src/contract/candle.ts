/** An OHLCV bar. `time` is the bar's start in seconds since the epoch (what charts expect). */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * The bar intervals, in milliseconds. Each bar begins on its interval's grid from the epoch: a
 * `1d` bar at UTC midnight, a `1h` bar on the hour.
 */
export const CANDLE_INTERVALS = {
  '1s': 1_000,
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
} as const;
export type CandleInterval = keyof typeof CANDLE_INTERVALS;

/**
 * A page of candles over a time range (`from`, `to` or `cursor` asked), oldest first. What the
 * server cannot cover it says: the range of bars it holds, and whether the range asked begins
 * before them.
 */
export interface CandlePage {
  candles: Candle[];
  /** The `cursor` of the next page of the range; null on its last page. */
  next: string | null;
  /** When the oldest and the newest bar held begin, in ms since the epoch; null if none is. */
  held: { from: number; to: number } | null;
  /** This page's range begins before the oldest bar held: older bars, if there were, are gone. */
  beforeHeld: boolean;
}

/** The query parameters of `GET /api/symbols/{symbol}/candles`. */
export const CANDLE_PARAMS = {
  interval: 'interval',
  limit: 'limit',
  /** The range's start, in ms since the epoch or ISO 8601: bars that begin from then. */
  from: 'from',
  /** The range's end, the same way: bars that begin until then, included. */
  to: 'to',
  /** Where the next page of a range begins, as the last page's `next` said. */
  cursor: 'cursor',
} as const;

export function isCandleInterval(value: unknown): value is CandleInterval {
  return typeof value === 'string' && Object.hasOwn(CANDLE_INTERVALS, value);
}
