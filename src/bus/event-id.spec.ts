import { compareEventIds, EventIdClock, parseEventId, precedingId } from './event-id.js';

describe('event ids', () => {
  it('parse only the "<ms>-<seq>" shape', () => {
    expect(parseEventId('1700000000000-3')).toEqual({ ms: 1700000000000, seq: 3 });
    for (const bad of [
      '',
      '12',
      '12-',
      '-3',
      '1-2-3',
      'a-1',
      '1.5-2',
      ' 1-2',
      '99999999999999999-1',
    ]) {
      expect(parseEventId(bad)).toBeUndefined();
    }
  });

  it('order by time, then by sequence, numerically', () => {
    expect(compareEventIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareEventIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareEventIds('10-10', '10-10')).toBe(0);
    expect(compareEventIds('11-0', '10-99')).toBeGreaterThan(0);
    expect(() => compareEventIds('10-0', 'x')).toThrow('cannot compare');
    expect(() => compareEventIds('-1', '10-0')).toThrow('cannot compare');
    expect(() => compareEventIds('a-1', '10-0')).toThrow('cannot compare');
  });

  it('have a predecessor, the largest id below them, itself a valid id', () => {
    expect(precedingId('1000-5')).toBe('1000-4');
    const beforeFirstOfItsMs = precedingId('1000-0');
    expect(parseEventId(beforeFirstOfItsMs)).toEqual({ ms: 999, seq: Number.MAX_SAFE_INTEGER });
    expect(compareEventIds(beforeFirstOfItsMs, '999-12345')).toBeGreaterThan(0);
    expect(compareEventIds(beforeFirstOfItsMs, '1000-0')).toBeLessThan(0);
    expect(() => precedingId('0-0')).toThrow();
  });

  it('are handed out strictly increasing, even when the clock stands still or steps back', () => {
    const clock = new EventIdClock(1000);
    const ids = [
      clock.next(1000),
      clock.next(1000),
      clock.next(1005),
      clock.next(990),
      clock.next(1006),
    ];
    expect(ids).toEqual(['1000-1', '1000-2', '1005-0', '1005-1', '1006-0']);
    const all = [clock.origin, ...ids];
    for (let i = 1; i < all.length; i++) {
      expect(compareEventIds(all[i - 1], all[i])).toBeLessThan(0);
    }
  });
});
