import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { UNKNOWN_DAY, type DayFigures, type SessionBody } from '@tickstream/client/contract';
import { checkFields } from '../../validation/check-fields.js';
import { InvalidFieldException } from '../../validation/invalid-field.exception.js';
import { prototypeKey } from '../../validation/prototype-key.js';
import { IsPrice } from './ingest-tick.dto.js';
import { TICK_BOUNDS } from './tick-bounds.js';

/** The body of POST /api/symbols/{symbol}/session, field by field. */
class IngestSessionDto implements SessionBody {
  @IsPrice() previousClose!: number;
  @IsOptional() @IsPrice() open?: number;
  @IsOptional() @IsPrice() high?: number;
  @IsOptional() @IsPrice() low?: number;
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) volume?: number;
  @IsOptional() @IsInt() lastTradeTs?: number;
}

/**
 * The session a feed begins, or a 400 naming the first bad field: prices within TICK_BOUNDS; a
 * session under way gives open, high and low together (low <= open <= high); volume and the last
 * trade's time only with them; that time within TICK_BOUNDS of the server's.
 */
export function parseSessionBody(body: string, now: number): DayFigures {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidFieldException('body', null, `not valid JSON: ${String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidFieldException('body', null, 'must be an object like {"previousClose"}');
  }
  const inherited = prototypeKey(value);
  if (inherited !== undefined) {
    throw new InvalidFieldException(inherited, null, `property ${inherited} should not exist`);
  }
  const session = Object.assign(new IngestSessionDto(), value);
  checkFields(session);
  const { previousClose, open, high, low, volume = 0, lastTradeTs } = session;
  if (open === undefined || high === undefined || low === undefined) {
    const given = (['open', 'high', 'low'] as const).find((field) => session[field] !== undefined);
    if (given !== undefined) {
      const missing = (['open', 'high', 'low'] as const).find(
        (field) => session[field] === undefined,
      );
      throw new InvalidFieldException(
        missing ?? given,
        null,
        'open, high and low come together, for a session that has traded',
      );
    }
    for (const field of ['volume', 'lastTradeTs'] as const) {
      if (session[field] !== undefined && session[field] !== 0) {
        throw new InvalidFieldException(
          field,
          session[field],
          'only for a session that has traded: give open, high and low too',
        );
      }
    }
    return { ...UNKNOWN_DAY, previousClose };
  }
  if (low > high) {
    throw new InvalidFieldException('low', low, `must not be above the high (${high})`);
  }
  if (open < low || open > high) {
    throw new InvalidFieldException(
      'open',
      open,
      `must be within the low (${low}) and the high (${high})`,
    );
  }
  const { maxAheadMs, maxAgeMs } = TICK_BOUNDS;
  if (
    lastTradeTs !== undefined &&
    (lastTradeTs > now + maxAheadMs || lastTradeTs < now - maxAgeMs)
  ) {
    throw new InvalidFieldException(
      'lastTradeTs',
      lastTradeTs,
      `must be ms since the epoch from ${maxAgeMs / 3_600_000} hours before the server's time ` +
        `to ${maxAheadMs / 1000} s after it (now ${now})`,
    );
  }
  return { open, high, low, volume, previousClose, lastTradeTs: lastTradeTs ?? null };
}
