import { setImmediate } from 'node:timers/promises';
import { checkFields } from '../../validation/check-fields.js';
import { InvalidFieldException } from '../../validation/invalid-field.exception.js';
import { prototypeKey } from '../../validation/prototype-key.js';
import { IngestTickDto } from './ingest-tick.dto.js';
import { TICK_BOUNDS } from './tick-bounds.js';
import type { Quote } from '@tickstream/client/contract';

export const NDJSON = 'application/x-ndjson';
/** The body types of POST /api/ticks; both are read as text and parsed here. */
export const TICK_BATCH_TYPES = ['application/json', NDJSON];

/** Ticks parsed, or checked, in one turn of the event loop: a batch must not hold up the streams. */
const SLICE = 1_000;

/**
 * The ticks of a POST /api/ticks body: a JSON array, or NDJSON (one tick a line). Throws a 400
 * naming the first bad tick's index and field, so that a batch is taken whole or not at all.
 * The ticks are parsed, then checked, SLICE at a time, letting the event loop turn in between:
 * checking takes 10 to 30 us a tick, and a batch of 200,000 held every stream up for seconds; a
 * 10 MB array parsed in one JSON.parse held them 60 to 100 ms, and its garbage as long again.
 */
export async function parseTickBatch(
  body: string,
  contentType: string,
  isKnownSymbol: (symbol: string) => boolean,
  now: number,
): Promise<Quote[]> {
  const ndjson = contentType.split(';')[0].trim().toLowerCase() === NDJSON;
  const items = ndjson ? ndjsonLines(body) : await parseJson(body);
  if (!Array.isArray(items) || items.length === 0) {
    throw new InvalidFieldException(
      'body',
      items,
      `must be a non-empty JSON array of ticks, or ${NDJSON} with one tick a line`,
    );
  }
  const quotes: Quote[] = [];
  for (let index = 0; index < items.length; index++) {
    if (index > 0 && index % SLICE === 0) {
      await setImmediate();
    }
    const item: unknown = ndjson ? parseLine(String(items[index]), index) : items[index];
    quotes.push(toQuote(item, `[${index}]`, isKnownSymbol, now));
  }
  return quotes;
}

/**
 * The body as JSON. An array is parsed an element at a time, SLICE elements a turn: what lies
 * between its commas must each be JSON, so the whole is valid JSON exactly when every element
 * is. Anything else is parsed whole, to be refused for not being an array.
 */
async function parseJson(text: string): Promise<unknown> {
  const notJson = (error: unknown) =>
    new InvalidFieldException('body', text, `not valid JSON: ${String(error)}`);
  const elements = arrayElements(text);
  if (elements === undefined) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw notJson(error);
    }
  }
  const items: unknown[] = [];
  try {
    for (const element of elements) {
      items.push(JSON.parse(element) as unknown);
      if (items.length % SLICE === 0) {
        await setImmediate();
      }
    }
  } catch (error) {
    throw notJson(error);
  }
  return items;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * The text of each element of the JSON array `text`, in order; undefined when `text` does not
 * begin as an array. Throws where the array is not closed, or text follows it.
 */
function arrayElements(text: string): Iterable<string> | undefined {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && WHITESPACE.has(text[at])) {
      at++;
    }
  };
  skipSpace();
  if (text[at] !== '[') {
    return undefined;
  }
  at++;
  return {
    *[Symbol.iterator]() {
      skipSpace();
      if (text[at] === ']') {
        at++;
      } else {
        for (;;) {
          const start = at;
          at = elementEnd(text, at);
          yield text.slice(start, at);
          if (text[at++] === ']') {
            break;
          }
        }
      }
      skipSpace();
      if (at !== text.length) {
        throw new SyntaxError(`unexpected text after the array, at ${at}`);
      }
    },
  };
}

/** Where the element that begins at `at` ends: at the comma or bracket after it, outside strings. */
function elementEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') {
          i++;
        }
      }
    } else if (char === '[' || char === '{') {
      depth++;
    } else if ((char === ']' || char === '}') && depth > 0) {
      depth--;
    } else if (depth === 0 && (char === ',' || char === ']')) {
      return i;
    }
  }
  throw new SyntaxError('the array is not closed');
}

/** The lines of NDJSON that are not blank; each is parsed as its turn comes. */
function ndjsonLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function parseLine(line: string, index: number): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new InvalidFieldException(`[${index}]`, line, 'not a line of JSON');
  }
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
  const { price, bid = price, ask = price, size = 0, bidSize = 0, askSize = 0, ts = now } = tick;
  const kind = tick.kind ?? (size > 0 ? 'trade' : 'quote');
  if ((kind === 'trade') !== size > 0) {
    throw new InvalidFieldException(
      `${at}.size`,
      size,
      kind === 'trade'
        ? 'a trade has a size above 0'
        : 'a quote alone trades nothing: its size is 0 (or absent)',
    );
  }
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
  return { symbol, kind, price, bid, ask, size, bidSize, askSize, ts };
}
