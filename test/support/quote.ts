import type { Quote } from '@tickstream/client/contract';

/** A quote at `price` with no spread, for tests that publish on the bus themselves. */
export function flatQuote(symbol: string, price: number): Quote {
  return {
    symbol,
    price,
    bid: price,
    ask: price,
    kind: 'trade',
    size: 1,
    bidSize: 100,
    askSize: 100,
    ts: 0,
  };
}
