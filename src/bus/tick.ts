import type { EventId, Quote } from '@tickstream/client/contract';

/** A quote as the bus carries it: numbered, and serialised once for every subscriber. */
export interface Tick {
  kind: 'tick';
  id: EventId;
  symbol: string;
  quote: Quote;
  /** `JSON.stringify(quote)`, made once when the tick enters the bus. */
  data: string;
}

/** `data` is the quote already serialised, when the tick comes from where it was stored. */
export function toTick(id: EventId, quote: Quote, data: string = JSON.stringify(quote)): Tick {
  return { kind: 'tick', id, symbol: quote.symbol, quote, data };
}
