import type { Candle, CandleInterval } from '@tickstream/client/contract';

/**
 * What came before a symbol's first live tick, as the simulated market made it up at start: the
 * price its session opened at, and its bars since.
 */
export interface SymbolPast {
  sessionOpen: number;
  bars: Record<CandleInterval, Candle[]>;
}
