import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { CANDLE_INTERVALS, type Candle, type CandleInterval } from '@tickstream/client/contract';
import { checkFields } from '../../validation/check-fields.js';
import { InvalidFieldException } from '../../validation/invalid-field.exception.js';
import { prototypeKey } from '../../validation/prototype-key.js';
import { IsPrice } from './ingest-tick.dto.js';
import { TICK_BOUNDS } from './tick-bounds.js';

/** One bar of a POST /api/symbols/{symbol}/candles body. */
class IngestCandleDto implements Candle {
  @IsNumber({ allowNaN: false, allowInfinity: false }) @IsInt() @Min(0) time!: number;
  @IsPrice() open!: number;
  @IsPrice() high!: number;
  @IsPrice() low!: number;
  @IsPrice() close!: number;
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) volume!: number;
}

/**
 * The bars of a POST /api/symbols/{symbol}/candles body: a non-empty JSON array of candles at
 * `interval`, oldest first. Throws a 400 naming the first bad bar's index and field: `time` in
 * seconds on the interval's grid, after the bar before and not after the server's clock (with
 * TICK_BOUNDS' skew); prices within TICK_BOUNDS, `low` <= `open`, `close` <= `high`; `volume` a
 * whole number.
 */
export function parseCandleBatch(body: string, interval: CandleInterval, now: number): Candle[] {
  let items: unknown;
  try {
    items = JSON.parse(body);
  } catch (error) {
    throw new InvalidFieldException('body', null, `not valid JSON: ${String(error)}`);
  }
  if (!Array.isArray(items) || items.length === 0) {
    throw new InvalidFieldException('body', null, 'must be a non-empty JSON array of candles');
  }
  const seconds = CANDLE_INTERVALS[interval] / 1000;
  const latest = (now + TICK_BOUNDS.maxAheadMs) / 1000;
  const candles: Candle[] = [];
  for (const [index, item] of (items as unknown[]).entries()) {
    const at = `[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InvalidFieldException(at, item, 'must be an object like {"time","open",...}');
    }
    const inherited = prototypeKey(item);
    if (inherited !== undefined) {
      throw new InvalidFieldException(
        `${at}.${inherited}`,
        null,
        `property ${inherited} should not exist`,
      );
    }
    const candle = Object.assign(new IngestCandleDto(), item);
    checkFields(candle, `${at}.`);
    const { time, open, high, low, close, volume } = candle;
    if (time % seconds !== 0 || time > latest) {
      throw new InvalidFieldException(
        `${at}.time`,
        time,
        `must be the bar's start in seconds since the epoch, a multiple of ${seconds} (${interval}), not after the server's time`,
      );
    }
    const before = candles.at(-1);
    if (before && time <= before.time) {
      throw new InvalidFieldException(
        `${at}.time`,
        time,
        `must be after the bar before (${before.time})`,
      );
    }
    if (low > high) {
      throw new InvalidFieldException(`${at}.low`, low, `must not be above the high (${high})`);
    }
    for (const [field, price] of [
      ['open', open],
      ['close', close],
    ] as const) {
      if (price < low || price > high) {
        throw new InvalidFieldException(
          `${at}.${field}`,
          price,
          `must be within the low (${low}) and the high (${high})`,
        );
      }
    }
    candles.push({ time, open, high, low, close, volume });
  }
  return candles;
}
