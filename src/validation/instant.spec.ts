import { readInstant } from './instant.js';

describe('readInstant', () => {
  it('reads ms since the epoch and ISO 8601 dates and times with their offset', () => {
    expect(readInstant('1796601600000')).toBe(1_796_601_600_000);
    expect(readInstant('0')).toBe(0);
    expect(readInstant('2026-12-07')).toBe(Date.UTC(2026, 11, 7));
    expect(readInstant('2026-12-07T14:30:00Z')).toBe(Date.UTC(2026, 11, 7, 14, 30));
    expect(readInstant('2026-12-07T09:30:00.250-05:00')).toBe(
      Date.UTC(2026, 11, 7, 14, 30, 0, 250),
    );
  });

  it('refuses what is neither, and a time without its offset', () => {
    for (const bad of ['', 'now', '-5', '1.5', '2026-12-07T14:30:00', '2026-13-45', '12/07/2026']) {
      expect(readInstant(bad)).toBeUndefined();
    }
  });
});
