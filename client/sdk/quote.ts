/**
 * One price update for one symbol, as a `tick` carries it and a snapshot lists it: the wire shape
 * of the server's Quote, kept here so that the client stands alone.
 */
export interface Quote {
  symbol: string;
  price: number;
  bid: number;
  ask: number;
  size: number;
  /** Milliseconds since the epoch when the quote was made. */
  ts: number;
}
