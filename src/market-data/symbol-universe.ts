/** How a simulated symbol behaves. */
export interface SymbolProfile {
  symbol: string;
  name: string;
  /** Opening price in dollars. */
  startPrice: number;
  /** Annualised volatility of the random walk, e.g. 0.3 for 30 %. */
  volatility: number;
  /** Relative share of the feed's ticks: busy names trade many times more often than quiet ones. */
  activity: number;
}

/** Well-known US listings with plausible prices and uneven activity. */
export const DEFAULT_UNIVERSE: readonly SymbolProfile[] = [
  { symbol: 'AAPL', name: 'Apple Inc.', startPrice: 228.5, volatility: 0.25, activity: 10 },
  { symbol: 'MSFT', name: 'Microsoft Corp.', startPrice: 415.2, volatility: 0.22, activity: 9 },
  { symbol: 'NVDA', name: 'NVIDIA Corp.', startPrice: 135.4, volatility: 0.5, activity: 12 },
  { symbol: 'TSLA', name: 'Tesla Inc.', startPrice: 248.9, volatility: 0.6, activity: 11 },
  { symbol: 'AMZN', name: 'Amazon.com Inc.', startPrice: 186.3, volatility: 0.3, activity: 8 },
  {
    symbol: 'GOOGL',
    name: 'Alphabet Inc. Class A',
    startPrice: 165.7,
    volatility: 0.28,
    activity: 7,
  },
  { symbol: 'META', name: 'Meta Platforms Inc.', startPrice: 572.1, volatility: 0.35, activity: 7 },
  {
    symbol: 'AMD',
    name: 'Advanced Micro Devices Inc.',
    startPrice: 142.8,
    volatility: 0.5,
    activity: 6,
  },
  { symbol: 'NFLX', name: 'Netflix Inc.', startPrice: 701.4, volatility: 0.35, activity: 3 },
  { symbol: 'JPM', name: 'JPMorgan Chase & Co.', startPrice: 212.6, volatility: 0.2, activity: 4 },
  { symbol: 'BAC', name: 'Bank of America Corp.', startPrice: 39.8, volatility: 0.25, activity: 4 },
  { symbol: 'V', name: 'Visa Inc.', startPrice: 279.3, volatility: 0.18, activity: 2 },
  { symbol: 'MA', name: 'Mastercard Inc.', startPrice: 497.6, volatility: 0.18, activity: 1.5 },
  { symbol: 'WMT', name: 'Walmart Inc.', startPrice: 80.2, volatility: 0.16, activity: 2 },
  { symbol: 'KO', name: 'The Coca-Cola Co.', startPrice: 70.1, volatility: 0.14, activity: 1.5 },
  { symbol: 'PEP', name: 'PepsiCo Inc.', startPrice: 171.5, volatility: 0.15, activity: 1 },
  { symbol: 'DIS', name: 'The Walt Disney Co.', startPrice: 94.6, volatility: 0.28, activity: 2 },
  { symbol: 'INTC', name: 'Intel Corp.', startPrice: 22.9, volatility: 0.45, activity: 5 },
  { symbol: 'XOM', name: 'Exxon Mobil Corp.', startPrice: 118.4, volatility: 0.22, activity: 2 },
  {
    symbol: 'UNH',
    name: 'UnitedHealth Group Inc.',
    startPrice: 590.3,
    volatility: 0.22,
    activity: 1,
  },
  { symbol: 'JNJ', name: 'Johnson & Johnson', startPrice: 161.2, volatility: 0.15, activity: 1 },
  {
    symbol: 'BRK.B',
    name: 'Berkshire Hathaway Inc. Class B',
    startPrice: 452.8,
    volatility: 0.15,
    activity: 0.5,
  },
  {
    symbol: 'COST',
    name: 'Costco Wholesale Corp.',
    startPrice: 884.1,
    volatility: 0.18,
    activity: 0.5,
  },
  { symbol: 'ORCL', name: 'Oracle Corp.', startPrice: 168.9, volatility: 0.3, activity: 2 },
];

/**
 * A profile for a symbol outside the built-in universe: price and activity derived from its
 * letters, so the same symbol always behaves the same.
 */
export function profileFor(symbol: string): SymbolProfile {
  const known = DEFAULT_UNIVERSE.find((profile) => profile.symbol === symbol);
  if (known) {
    return known;
  }
  let hash = 2166136261;
  for (const char of symbol) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  }
  return {
    symbol,
    name: symbol,
    startPrice: 10 + (hash % 49_000) / 100,
    volatility: 0.2 + ((hash >>> 8) % 40) / 100,
    activity: 0.5 + ((hash >>> 16) % 50) / 10,
  };
}

/** The profile of a SYMBOLS entry: `ACME`, or `ACME:40` to set its activity. */
export function profileOf(entry: string): SymbolProfile {
  const [symbol, activity] = entry.split(':');
  const profile = profileFor(symbol);
  return activity === undefined ? profile : { ...profile, activity: Number(activity) };
}
