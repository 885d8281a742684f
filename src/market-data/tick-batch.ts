import { checkFields } from '../validation/check-fields.js';
import { InvalidFieldException } from '../validation/invalid-field.exception.js';
import { prototypeKey } from '../validation/prototype-key.js';
import { IngestTickDto } from './ingest-tick.dto.js';
import { TICK_BOUNDS } from './tick-bounds.js';
import type { Quote } from '@tickstream/client/contract';

export const NDJSON = 'application/x-ndjson';
/** The body types of POST /api/ticks; both are read as text and parsed here. */
export const TICK_BATCH_TYPES = ['application/json', NDJSON];

/**
 * The ticks of a POST /api/ticks body: a JSON array, or NDJSON (one tick a line). Throws a 400
 * naming the first bad tick's index and field, so that a batch is taken whole or not at all.
 */
export function parseTickBatch(
  body: string,
  contentType: string,
  isKnownSymbol: (symbol: string) => boolean,
  now: number,
): Quote[] {
  const items =
    contentType.split(';')[0].trim().toLowerCase() === NDJSON ? parseNdjson(body) : parseJson(body);
  if (!Array.isArray(items) || items.length === 0) {
    throw new InvalidFieldException(
      'body',
      items,
      `must be a non-empty JSON array of ticks, or ${NDJSON} with one tick a line`,
    );
  }
  return items.map((item: unknown, index) => toQuote(item, `[${index}]`, isKnownSymbol, now));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidFieldException('body', text, `not valid JSON: ${String(error)}`);
  }
}

function parseNdjson(text: string): unknown[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new InvalidFieldException(`[${index}]`, line, 'not a line of JSON');
      }
    });
}

function toQuote(
  item: unknown,
  at: string,
  isKnownSymbol: (symbol: string) => boolean,
  now: number,
): Quote {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new InvalidFieldException(at, item, 'must be an object like {"symbol","price"}');
  }
  const unknown = prototypeKey(item);
  if (unknown !== undefined) {
    throw new InvalidFieldException(
      `${at}.${unknown}`,
      null,
      `property ${unknown} should not exist`,
    );
  }
  // Filled as is: class-transformer's mapping recurses into nested values, and a field nested
  // thousands deep overflowed the stack.
  const tick = Object.assign(new IngestTickDto(), item);
  checkFields(tick, `${at}.`);
  const symbol = tick.symbol.toUpperCase();
  if (!isKnownSymbol(symbol)) {
    throw new InvalidFieldException(`${at}.symbol`, tick.symbol, `unknown symbol "${symbol}"`);
  }
  const { price, bid = price, ask = price, size = 0, ts = now } = tick;
  const { maxAheadMs, maxAgeMs } = TICK_BOUNDS;
  if (ts > now + maxAheadMs || ts < now - maxAgeMs) {
    throw new InvalidFieldException(
      `${at}.ts`,
      ts,
      `must be ms since the epoch from ${maxAgeMs / 3_600_000} hours before the server's time ` +
        `to ${maxAheadMs / 1000} s after it (now ${now})`,
    );
  }
  if (tick.bid !== undefined && tick.ask !== undefined && bid > ask) {
    throw new InvalidFieldException(`${at}.bid`, bid, `must not be above the ask (${ask})`);
  }
  if (price < bid || price > ask) {
    throw new InvalidFieldException(
      `${at}.price`,
      price,
      `must be within the bid (${bid}) and the ask (${ask})`,
    );
  }
  return { symbol, price, bid, ask, size, ts };
}
