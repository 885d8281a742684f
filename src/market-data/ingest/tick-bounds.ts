/**
 * What an ingested tick may hold. No real quote comes near these, and nonsense (a price of
 * 1e308, a denormal, a timestamp in seconds or in the year 275760) falls outside them.
 */
export const TICK_BOUNDS = {
  /** Prices, bids and asks, in dollars: from a ten-thousandth of a cent to a billion. */
  minPrice: 0.000_001,
  maxPrice: 1_000_000_000,
  /** Shares in one trade: far above any block trade, and volumes stay exact when summed. */
  maxSize: 1_000_000_000,
  /**
   * How far ahead of the server's clock `ts` may be: clock skew between hosts. A tick from the
   * future would hold its symbol's candles until its time came.
   */
  maxAheadMs: 10_000,
  /** How long ago `ts` may be: a day, for a batch delivered late after an outage. */
  maxAgeMs: 24 * 3_600_000,
} as const;
