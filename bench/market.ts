/** A symbol of a benchmark market and its relative share of the market's ticks. */
export interface SymbolActivity {
  symbol: string;
  activity: number;
}

/**
 * The market every server of a measurement is fed: tickstream runs it as its simulated feed
 * (SYMBOLS=NAME:ACTIVITY, TICKS_PER_SECOND), the baselines and the nchan publisher run the
 * bench's own generator with the same symbols, activities, rate and 10 ms batches.
 */
export interface Market {
  name: string;
  symbols: SymbolActivity[];
  ticksPerSecond: number;
}

/** The market as tickstream's SYMBOLS setting, every activity stated: `S00:1,S01:1,...`. */
export function symbolsSetting(market: Pick<Market, 'symbols'>): string {
  return market.symbols.map(({ symbol, activity }) => `${symbol}:${activity}`).join(',');
}

/** Reads a SYMBOLS setting back; an entry without an activity has activity 1. */
export function parseSymbolsSetting(setting: string): SymbolActivity[] {
  return setting.split(',').map((entry) => {
    const [symbol, activity = '1'] = entry.trim().split(':');
    return { symbol: symbol.toUpperCase(), activity: Number(activity) };
  });
}
