/** An OHLCV bar. `time` is the bar's start in seconds since the epoch (what charts expect). */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The bar intervals, in milliseconds. */
export const CANDLE_INTERVALS = { '1s': 1_000, '1m': 60_000 } as const;
export type CandleInterval = keyof typeof CANDLE_INTERVALS;

export function isCandleInterval(value: unknown): value is CandleInterval {
  return typeof value === 'string' && Object.hasOwn(CANDLE_INTERVALS, value);
}
