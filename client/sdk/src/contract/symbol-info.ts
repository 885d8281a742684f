import type { DayFigures } from './day.js';
import type { StateOf } from './market.js';
import type { Quote } from './quote.js';

/**
 * An entry of `GET /api/symbols`: a symbol served, with its latest quote, its state (why, since
 * when) and the day's figures.
 */
export interface SymbolInfo extends StateOf {
  symbol: string;
  /** The company's name, e.g. "Apple Inc.". */
  name: string;
  /** The latest quote; null until the symbol has traded. */
  quote: Quote | null;
  /** The day's open, high, low, volume, previous close and last trade's time. */
  day: DayFigures;
  /** The same as `day.open`, kept for the clients that read it. */
  sessionOpen: number | null;
}
