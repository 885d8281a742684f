import type { CandleInterval } from '@tickstream/client/contract';
import { InvalidFieldException } from '../validation/invalid-field.exception.js';

/**
 * The `cursor` of a page of candles: opaque to clients, it says at which interval and from which
 * bar (its start, s since the epoch) the next page begins. It holds no more, so a bar that came
 * meanwhile is on the next page, and one let go meanwhile is said to be (`beforeHeld`).
 */
export function toCursor(interval: CandleInterval, time: number): string {
  return Buffer.from(`${interval}:${time}`).toString('base64url');
}

/** Where the page that `cursor` asks for begins (s); a 400 naming it when it is not ours. */
export function fromCursor(cursor: string, interval: CandleInterval): number {
  const [own, time] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (own !== interval || !/^\d{1,12}$/.test(time ?? '')) {
    throw new InvalidFieldException(
      'cursor',
      cursor,
      `not the next page of a range at interval ${interval}: send the "next" of the page before, with the same interval`,
    );
  }
  return Number(time);
}
