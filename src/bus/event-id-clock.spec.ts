import { compareEventIds, precedingId } from '@tickstream/client/contract';
import { EventIdClock } from './event-id-clock.js';

describe('EventIdClock', () => {
  it('hands out strictly increasing ids, even when the clock stands still or steps back', () => {
    const clock = new EventIdClock(1000, 40);
    const ids = [
      clock.next(1000),
      clock.next(1000),
      clock.next(1005),
      clock.next(990),
      clock.next(1006),
    ];
    expect(ids).toEqual(['1000-41', '1000-42', '1005-43', '1005-44', '1006-45']);
    const all = [clock.origin, ...ids];
    for (let i = 1; i < all.length; i++) {
      expect(compareEventIds(all[i - 1], all[i])).toBeLessThan(0);
    }
  });

  it('counts its own ids, and the watermarks between them, as issued, and no other', () => {
    const clock = new EventIdClock(1000, 40);
    const ids = [clock.next(1000), clock.next(1003), clock.next(1007)];
    for (const id of [clock.origin, ...ids, ...ids.map(precedingId)]) {
      expect([id, clock.issued(id)]).toEqual([id, true]);
    }
    // Another clock of the same times, from another start; the times before or after this one's.
    const other = new EventIdClock(1000, 7_000);
    const foreign = [other.next(1001), other.next(1003), '999-41', '1008-43', '1003-46', '1003-39'];
    for (const id of foreign) {
      expect([id, clock.issued(id)]).toEqual([id, false]);
    }
    expect(clock.issued('1-9007199254740993')).toBe(false);
  });

  it('starts each clock at a seq of its own', () => {
    const starts = new Set(Array.from({ length: 50 }, () => new EventIdClock(1000).origin));
    expect(starts.size).toBe(50);
  });
});
