/** One price update for one symbol: what a `tick` carries and a `snapshot` lists. */
export interface Quote {
  /** Upper-case symbol, such as AAPL or BRK.B. */
  symbol: string;
  /** Last trade, in dollars. */
  price: number;
  /** Best bid; never above the ask. */
  bid: number;
  /** Best ask. */
  ask: number;
  /** Shares traded (an integer); 0 for a quote update that is not a trade. */
  size: number;
  /** Milliseconds since the epoch when the quote was made. */
  ts: number;
}
