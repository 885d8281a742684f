import type { Candle, CandleInterval } from '@tickstream/client/contract';

/**
 * What came before a symbol's first live tick, as the simulated market made it up at start: its
 * bars. A past saved before an interval was served lacks that interval's bars.
 */
export interface SymbolPast {
  bars: Partial<Record<CandleInterval, Candle[]>>;
}
