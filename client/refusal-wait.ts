/** When a refusal says nothing usable about when to come back. */
const DEFAULT_MS = 2_000;
/** However soon a server says, a page does not ask again in a tight loop. */
const MIN_MS = 100;
/** However long a server asks for, a page that stays open tries again at least this often. */
const MAX_MS = 60_000;

/**
 * How long the page waits after a 429: what its Retry-After asked (`retryAfterMs`), within
 * 0.1 to 60 s; `otherwise` (2 s unless given) when it said nothing usable.
 */
export function refusalWaitMs(retryAfterMs: number | undefined, otherwise = DEFAULT_MS): number {
  return Math.min(Math.max(retryAfterMs ?? otherwise, MIN_MS), MAX_MS);
}
