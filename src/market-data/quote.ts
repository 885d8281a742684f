/** One price update for one symbol: what a subscriber sees in a `tick` frame and in a snapshot. */
export interface Quote {
  symbol: string;
  price: number;
  bid: number;
  ask: number;
  size: number;
  /** Milliseconds since the epoch when the quote was made. */
  ts: number;
}
