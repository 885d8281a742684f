import type { Quote } from '@tickstream/client/contract';
import type { QuoteGenerator } from './quote-generator.js';

/** The cadence of tickstream's simulated feed: the ticks due every 10 ms go out as one batch. */
export const BATCH_MS = 10;
/** After a stall, catch up at most this much, as tickstream's feed does. */
const MAX_CATCH_UP_MS = 1_000;

/**
 * Hands `publish` the generator's quotes at `rate` per second (above 0), the quotes that fall
 * due together as one batch, on one timer. Returns what stops it.
 */
export function runFeed(
  generator: QuoteGenerator,
  rate: number,
  publish: (quotes: Quote[]) => void,
): () => void {
  let due = 0;
  let last = Date.now();
  const timer = setInterval(
    () => {
      const now = Date.now();
      due += (Math.min(now - last, MAX_CATCH_UP_MS) * rate) / 1000;
      last = now;
      const quotes: Quote[] = [];
      for (; due >= 1; due--) {
        const quote = generator.next(now);
        if (quote !== undefined) {
          quotes.push(quote);
        }
      }
      if (quotes.length > 0) {
        publish(quotes);
      }
    },
    Math.min(BATCH_MS, 1000 / rate),
  );
  return () => clearInterval(timer);
}
