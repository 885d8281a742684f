import type { Candle, CandleInterval } from '@tickstream/client/contract';

/**
 * What came before a symbol's first live tick, as the simulated market made it up at start: its
 * bars. A past saved before an interval was served lacks that interval's bars.
 */
export interface SymbolPast {
  bars: Partial<Record<CandleInterval, Candle[]>>;
}

/** `past` with `posted` bars at `interval`, oldest first: a posted bar replaces one of its time. */
export function withPostedBars(
  past: SymbolPast,
  interval: CandleInterval,
  posted: readonly Candle[],
): SymbolPast {
  const byTime = new Map((past.bars[interval] ?? []).map((bar) => [bar.time, bar]));
  posted.forEach((bar) => byTime.set(bar.time, bar));
  const bars = [...byTime.values()].sort((a, b) => a.time - b.time);
  return { ...past, bars: { ...past.bars, [interval]: bars } };
}
