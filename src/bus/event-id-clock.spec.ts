import { compareEventIds } from '@tickstream/client/contract';
import { EventIdClock } from './event-id-clock.js';

describe('EventIdClock', () => {
  it('hands out strictly increasing ids, even when the clock stands still or steps back', () => {
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
