import type { Quote } from '@tickstream/client/contract';
import type { QuoteGenerator } from './quote-generator.js';

/** The cadence of tickstream's simulated feed: the ticks due every 10 ms go out as one batch. */
export const BATCH_MS = 10;
/** After a stall, catch up at most this much, as tickstream's feed does. */
const MAX_CATCH_UP_MS = 1_000;

/**
 * Hands `publish` the generator's quotes at `rate` per second (above 0) on one timer, the quotes
 * that fell due since the last turn as one batch. Returns what stops it.
 */
export function runFeed(
  generator: QuoteGenerator,
  rate: number,
  publish: (quotes: Quote[]) => void,
): () => void {
  const started = Date.now();
  /** Ticks made, and those given up after a stall, since the start. */
  let made = 0;
  const timer = setInterval(
    () => {
      const now = Date.now();
      const due = Math.floor(((now - started) * rate) / 1000);
      made = Math.max(made, due - Math.ceil((MAX_CATCH_UP_MS * rate) / 1000));
      const quotes: Quote[] = [];
      for (; made < due; made++) {
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
