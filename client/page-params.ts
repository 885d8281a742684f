import { isCandleInterval, type CandleInterval } from '@tickstream/client/contract';

/** What the page's URL says to show: `?symbols=AAPL,MSFT&throttle=250&interval=1m`. */
export interface PageParams {
  symbols: string[];
  throttle: number;
  /** The chart's bars. */
  interval: CandleInterval;
}

export const DEFAULT_PARAMS: PageParams = {
  symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AMD'],
  throttle: 250,
  interval: '1m',
};

const MAX_THROTTLE = 60_000;

/** Upper-cased, trimmed, without blanks or repeats; the server judges whether they exist. */
export function normalizeSymbols(symbols: readonly string[]): string[] {
  return [...new Set(symbols.map((symbol) => symbol.trim().toUpperCase()).filter(Boolean))];
}

export function readParams(search: string): PageParams {
  const query = new URLSearchParams(search);
  const symbols = normalizeSymbols((query.get('symbols') ?? '').split(','));
  const throttle = query.get('throttle') ?? '';
  const interval = query.get('interval');
  return {
    symbols: symbols.length > 0 ? symbols : DEFAULT_PARAMS.symbols,
    throttle:
      /^\d{1,5}$/.test(throttle) && Number(throttle) <= MAX_THROTTLE
        ? Number(throttle)
        : DEFAULT_PARAMS.throttle,
    interval: isCandleInterval(interval) ? interval : DEFAULT_PARAMS.interval,
  };
}

/** The query string for `params`, commas left readable so the URL can be read and shared. */
export function toQuery({ symbols, throttle, interval }: PageParams): string {
  return `?symbols=${symbols.map(encodeURIComponent).join(',')}&throttle=${throttle}&interval=${interval}`;
}
