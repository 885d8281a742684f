import { retryAfterMs } from './retry-after.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 25 Nov 2026 12:00:05 GMT', now)).toBe(5_000);
  });

  it('never waits less than nothing nor more than a minute', () => {
    expect(retryAfterMs('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(60_000);
  });

  it('waits 2 s when the header is missing or unreadable', () => {
    expect(retryAfterMs(null, now)).toBe(2_000);
    expect(retryAfterMs('soon', now)).toBe(2_000);
    expect(retryAfterMs('-1', now)).toBe(2_000);
  });
});
