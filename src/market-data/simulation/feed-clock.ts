import type { Quote } from '@tickstream/client/contract';
import type { RandomWalk } from './random-walk.js';

/** Timer period: short enough for smooth flow, long enough to batch ticks at high rates. */
const MAX_PERIOD_MS = 10;
/** After a stall (GC, a busy loop) catch up at most this much, rather than flood subscribers. */
const MAX_CATCH_UP_MS = 1_000;

/**
 * Hands `publish` the walk's quotes at `rate` per second (above 0) on one timer: the quotes that
 * fall due together go out as one batch. Returns what stops it.
 */
export function runFeedClock(
  walk: RandomWalk,
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
        quotes.push(walk.next(now));
      }
      publish(quotes);
    },
    Math.min(MAX_PERIOD_MS, 1000 / rate),
  );
  return () => clearInterval(timer);
}
