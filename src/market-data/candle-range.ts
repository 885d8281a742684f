import type { CandleInterval, CandlePage } from '@tickstream/client/contract';
import { InvalidFieldException } from '../validation/invalid-field.exception.js';
import { INSTANT_REASON, readInstant } from '../validation/instant.js';
import type { BarBook } from './bars/bar-book.service.js';
import { fromCursor, toCursor } from './candle-cursor.js';
import type { CandlesQueryDto } from './candles-query.dto.js';

/** Bars that begin from this to that, in s since the epoch, both included. */
interface CandleRange {
  from: number;
  to: number;
  /** No start was asked: from the oldest bar held. */
  fromOldest: boolean;
}

/**
 * The range a candles query asks for, when it asks for one (`from`, `to` or `cursor`): a 400
 * naming `from` when it is after `to`. A cursor stands for `from`.
 */
export function readCandleRange(
  { from, to, cursor }: CandlesQueryDto,
  interval: CandleInterval,
): CandleRange | undefined {
  if (from === undefined && to === undefined && cursor === undefined) {
    return undefined;
  }
  const fromMs = from === undefined ? 0 : instant('from', from);
  const toMs = to === undefined ? Number.MAX_SAFE_INTEGER : instant('to', to);
  if (fromMs > toMs) {
    throw new InvalidFieldException('from', from, `must not be after to (${to})`);
  }
  // A bar begins on a whole second: the first at or after `from`, the last at or before `to`.
  return {
    from: cursor === undefined ? Math.ceil(fromMs / 1000) : fromCursor(cursor, interval),
    to: Math.floor(toMs / 1000),
    fromOldest: from === undefined && cursor === undefined,
  };
}

/** A page of `book`'s bars over `range`: what it holds of it, and what it does not. */
export function candlePage(
  book: BarBook,
  symbol: string,
  interval: CandleInterval,
  range: CandleRange,
  limit: number,
): CandlePage {
  const { candles, next, held } = book.candlesBetween(
    symbol,
    interval,
    range.from,
    range.to,
    limit,
  );
  return {
    candles,
    next: next === undefined ? null : toCursor(interval, next),
    held: held ? { from: held.first * 1000, to: held.last * 1000 } : null,
    beforeHeld: held !== undefined && !range.fromOldest && range.from < held.first,
  };
}

function instant(field: string, value: string): number {
  const ms = readInstant(value);
  if (ms === undefined) {
    throw new InvalidFieldException(field, value, INSTANT_REASON);
  }
  return ms;
}
