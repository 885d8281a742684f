import type { Quote } from './quote.js';

/**
 * A symbol's day: the session so far (from its first trade) and the close of the session before.
 * Only trades count (a tick with `size` 0 changes the quote alone).
 */
export interface DayFigures {
  /** The session's first trade; null until it has traded. */
  open: number | null;
  /** The session's highest trade; null until it has traded. */
  high: number | null;
  /** The session's lowest trade; null until it has traded. */
  low: number | null;
  /** Shares traded in the session. */
  volume: number;
  /**
   * The last trade of the session before, which change and change % are measured from; null
   * while unknown (no feed set it and no session ended here).
   */
  previousClose: number | null;
  /** When the last trade was made, in ms since the epoch; null until one has. */
  lastTradeTs: number | null;
}

/** The figures of a symbol the server knows nothing of yet. */
export const UNKNOWN_DAY: DayFigures = {
  open: null,
  high: null,
  low: null,
  volume: 0,
  previousClose: null,
  lastTradeTs: null,
};

/** How far `price` moved from the previous close, in dollars and per cent. */
export interface DayChange {
  change: number;
  percent: number;
}

/** The change of `price` from the previous close of `day`; null while that close is unknown. */
export function changeFromPreviousClose(price: number, day: DayFigures): DayChange | null {
  const { previousClose } = day;
  if (previousClose === null || previousClose <= 0) {
    return null;
  }
  const change = price - previousClose;
  return { change, percent: (change / previousClose) * 100 };
}

/**
 * The day's figures after `trade`: a trade opens the session when none is open, then moves its
 * high, low, volume and last trade's time. A quote without a trade (`size` 0) changes nothing.
 * When the session `ended` (the symbol closed since its last trade), the trade begins another,
 * whose previous close is `lastPrice`, the last price before.
 */
export function dayAfterTrade(
  day: DayFigures,
  trade: Pick<Quote, 'price' | 'size' | 'ts'>,
  ended = false,
  lastPrice: number | null = null,
): DayFigures {
  if (trade.size <= 0) {
    return day;
  }
  if (ended) {
    return dayAfterTrade({ ...UNKNOWN_DAY, previousClose: lastPrice ?? day.previousClose }, trade);
  }
  const { price } = trade;
  return {
    open: day.open ?? price,
    high: day.high === null ? price : Math.max(day.high, price),
    low: day.low === null ? price : Math.min(day.low, price),
    volume: day.volume + trade.size,
    previousClose: day.previousClose,
    lastTradeTs: day.lastTradeTs === null ? trade.ts : Math.max(day.lastTradeTs, trade.ts),
  };
}

/**
 * The body of `POST /api/symbols/{symbol}/session` (with the ingest token): a feed begins the
 * symbol's session with its previous close and, for a session already under way, its figures so
 * far (open, high and low together).
 */
export interface SessionBody {
  previousClose: number;
  open?: number;
  high?: number;
  low?: number;
  volume?: number;
  lastTradeTs?: number;
}
