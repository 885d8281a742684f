/** When a refusal says nothing usable about when to come back. */
const DEFAULT_MS = 2_000;
/** However long a server asks for, a page that stays open tries again at least this often. */
const MAX_MS = 60_000;

/**
 * How long to wait before trying again, from a 429's `Retry-After` (seconds, or an HTTP date),
 * within 0..60 s; 2 s when it is missing or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? '';
  const ms = /^\d+$/.test(value)
    ? Number(value) * 1000
    : /^[A-Z][a-z]{2}, /.test(value)
      ? Date.parse(value) - now
      : NaN;
  return Number.isNaN(ms) ? DEFAULT_MS : Math.min(Math.max(ms, 0), MAX_MS);
}
