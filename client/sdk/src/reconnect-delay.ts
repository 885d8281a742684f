/** However often reconnects fail, a client waits no longer than this (unless `retry` says more). */
export const MAX_RECONNECT_DELAY_MS = 30_000;
/** The least a reconnect waits, so that `retry: 0` cannot make a tight loop. */
export const MIN_RECONNECT_DELAY_MS = 100;
/** Up to this fraction is added at random, so that clients dropped together do not return together. */
const JITTER = 0.2;

/**
 * Milliseconds to wait before reconnect `attempt` (1 for the first after a drop): the server's
 * `retry`, doubled for each further failure up to a cap but never below `retry`, plus jitter.
 */
export function reconnectDelay(
  attempt: number,
  retryMs: number,
  random: () => number = Math.random,
): number {
  const first = Math.max(retryMs, MIN_RECONNECT_DELAY_MS);
  const grown = Math.min(MAX_RECONNECT_DELAY_MS, first * 2 ** (attempt - 1));
  return Math.round(Math.max(first, grown) * (1 + JITTER * random()));
}
