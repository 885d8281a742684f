import type { TradingState } from './market.js';
import type { Quote } from './quote.js';

/** An entry of `GET /api/symbols`: a symbol served, with its latest quote, state and session open. */
export interface SymbolInfo {
  symbol: string;
  /** The company's name, e.g. "Apple Inc.". */
  name: string;
  /** The latest quote; null until the symbol has traded. */
  quote: Quote | null;
  state: TradingState;
  /** The price its session opened at, for change and change %; null until known. */
  sessionOpen: number | null;
}
