/**
 * Milliseconds until the time a refusal's `Retry-After` names (seconds, or an HTTP date), never
 * below 0; undefined when the header is missing or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const value = header?.trim() ?? '';
  const ms = /^\d+$/.test(value)
    ? Number(value) * 1000
    : /^[A-Z][a-z]{2}, /.test(value)
      ? Date.parse(value) - now
      : NaN;
  return Number.isNaN(ms) ? undefined : Math.max(ms, 0);
}
