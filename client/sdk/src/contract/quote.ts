/** What a tick is: a trade (at `price`, of `size` shares), or a change of the quote alone. */
export const TICK_KINDS = ['trade', 'quote'] as const;
export type TickKind = (typeof TICK_KINDS)[number];

/** One price update for one symbol: what a `tick` carries and a `snapshot` lists. */
export interface Quote {
  /** Upper-case symbol, such as AAPL or BRK.B. */
  symbol: string;
  /**
   * `trade`: a trade happened, at `price`, of `size` shares. `quote`: only the bid or ask (or
   * their sizes) changed; `price` is the last trade's, `size` 0. Absent from servers before it.
   */
  kind: TickKind;
  /** Last trade, in dollars. */
  price: number;
  /** Best bid; never above the ask. */
  bid: number;
  /** Best ask. */
  ask: number;
  /** Shares bid for at the bid (an integer); 0 when not known. */
  bidSize: number;
  /** Shares offered at the ask (an integer); 0 when not known. */
  askSize: number;
  /** Shares traded (an integer); 0 for a quote update that is not a trade. */
  size: number;
  /** Milliseconds since the epoch when the quote was made (for a trade, when it traded). */
  ts: number;
}
