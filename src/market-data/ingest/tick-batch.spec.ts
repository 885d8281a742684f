import { InvalidFieldException } from '../../validation/invalid-field.exception.js';
import { parseTickBatch } from './tick-batch.js';

const known = (symbol: string) => ['AAPL', 'MSFT'].includes(symbol);
const parse = (body: string, type = 'application/json', now = 42) =>
  parseTickBatch(body, type, known, now);

/** The field and value a 400 names, or undefined when the batch was taken. */
async function refusal(
  body: string,
  type?: string,
  now?: number,
): Promise<{ field: string; value: unknown } | undefined> {
  try {
    await parse(body, type, now);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFieldException);
    const { field, value } = (error as InvalidFieldException).getResponse() as {
      field: string;
      value: unknown;
    };
    return { field, value };
  }
}

describe('parseTickBatch', () => {
  it('fills bid and ask from the price, size and the book’s sizes with 0, kind from the size and ts with now, keeping the order', async () => {
    expect(
      await parse(
        '[{"symbol":"msft","price":2},{"symbol":"AAPL","price":1,"bid":0.9,"size":5,"ts":7}]',
      ),
    ).toEqual([
      // A tick without a size is a quote alone; one with a size, a trade.
      {
        symbol: 'MSFT',
        kind: 'quote',
        price: 2,
        bid: 2,
        ask: 2,
        size: 0,
        bidSize: 0,
        askSize: 0,
        ts: 42,
      },
      {
        symbol: 'AAPL',
        kind: 'trade',
        price: 1,
        bid: 0.9,
        ask: 1,
        size: 5,
        bidSize: 0,
        askSize: 0,
        ts: 7,
      },
    ]);
  });

  it('reads NDJSON, one tick a line, blank lines ignored', async () => {
    const body = '{"symbol":"AAPL","price":1}\n\n{"symbol":"MSFT","price":2}\n';
    expect((await parse(body, 'application/x-ndjson; charset=utf-8')).map((q) => q.symbol)).toEqual(
      ['AAPL', 'MSFT'],
    );
  });

  it.each([
    [
      'a string price',
      '[{"symbol":"AAPL","price":1},{"symbol":"AAPL","price":"2"}]',
      '[1].price',
      '2',
    ],
    ['a negative price', '[{"symbol":"AAPL","price":-1}]', '[0].price', -1],
    ['a missing price', '[{"symbol":"AAPL"}]', '[0].price', null],
    ['a fractional size', '[{"symbol":"AAPL","price":1,"size":1.5}]', '[0].size', 1.5],
    ['an unknown field', '[{"symbol":"AAPL","price":1,"venue":"X"}]', '[0].venue', 'X'],
    [
      'an unknown symbol',
      '[{"symbol":"AAPL","price":1},{"symbol":"NOPE","price":1}]',
      '[1].symbol',
      'NOPE',
    ],
    ['a malformed symbol', '[{"symbol":"A A","price":1}]', '[0].symbol', 'A A'],
    ['a bid above the ask', '[{"symbol":"AAPL","price":1,"bid":2,"ask":1.5}]', '[0].bid', 2],
    ['a tick that is not an object', '[{"symbol":"AAPL","price":1}, 3]', '[1]', 3],
    ['an empty batch', '[]', 'body', []],
    [
      'an object instead of an array',
      '{"symbol":"AAPL","price":1}',
      'body',
      { symbol: 'AAPL', price: 1 },
    ],
    ['malformed JSON', '[{"symbol":', 'body', '[{"symbol":'],
    [
      'two ticks without a comma',
      '[{"symbol":"AAPL","price":1} {}]',
      'body',
      '[{"symbol":"AAPL","price":1} {}]',
    ],
    [
      'a trailing comma',
      '[{"symbol":"AAPL","price":1},]',
      'body',
      '[{"symbol":"AAPL","price":1},]',
    ],
    [
      'text after the array',
      '[{"symbol":"AAPL","price":1}] x',
      'body',
      '[{"symbol":"AAPL","price":1}] x',
    ],
    ['an array left open', '[{"symbol":"AAPL","price":1}', 'body', '[{"symbol":"AAPL","price":1}'],
    [
      'a bracket closing the wrong thing',
      '[{"symbol":"AAPL","price":1]}',
      'body',
      '[{"symbol":"AAPL","price":1]}',
    ],
  ])('refuses %s, naming the index and field', async (_, body, field, value) => {
    expect(await refusal(body)).toEqual({ field, value });
  });

  it('reads a JSON array however its elements are spaced, nested and quoted', async () => {
    const body = ` [ {"symbol":"AAPL","price":1} ,\n{ "symbol" : "MSFT", "price": 2 } ] \n`;
    expect((await parse(body)).map((q) => q.symbol)).toEqual(['AAPL', 'MSFT']);
    // Brackets, commas and escaped quotes inside strings are the string's.
    expect(await refusal('[{"symbol":"A,]}\\"[","price":1}]')).toEqual({
      field: '[0].symbol',
      value: 'A,]}"[',
    });
    expect(await refusal('[[1,[2]],{"a":[3]}]')).toEqual({ field: '[0]', value: [1, [2]] });
  });

  it('parses a large JSON array a slice at a time, letting other work run before it is whole', async () => {
    let checked = 0;
    let checkedWhenOtherWorkRan: number | undefined;
    setImmediate(() => (checkedWhenOtherWorkRan = checked));
    const count = (symbol: string) => {
      checked++;
      return known(symbol);
    };
    const body = `[${Array(10_000).fill('{"symbol":"AAPL","price":1}').join(',')}]`;
    const quotes = await parseTickBatch(body, 'application/json', count, 42);
    expect(quotes).toHaveLength(10_000);
    // The body is parsed whole before any tick is checked: a bad field never hides bad JSON.
    expect(checkedWhenOtherWorkRan).toBe(0);
  });

  describe('bounds of a real quote', () => {
    const NOW = 1_800_000_000_000;
    const tick = (fields: Record<string, unknown>) =>
      JSON.stringify([
        { symbol: 'AAPL', price: 1 },
        { symbol: 'AAPL', price: 100, ...fields },
      ]);
    const taken = async (fields: Record<string, unknown>) =>
      expect(await refusal(tick(fields), undefined, NOW)).toBeUndefined();
    const refused = async (fields: Record<string, unknown>, field: string) =>
      expect((await refusal(tick(fields), undefined, NOW))?.field).toBe(`[1].${field}`);

    it('takes a ts from 24 hours before now to 10 seconds after, and refuses any other', async () => {
      await taken({ ts: NOW - 24 * 3_600_000 });
      await taken({ ts: NOW + 10_000 });
      await refused({ ts: NOW - 24 * 3_600_000 - 1 }, 'ts');
      await refused({ ts: NOW + 10_001 }, 'ts');
      await refused({ ts: 8.64e15 }, 'ts');
      // In seconds rather than milliseconds: 1970.
      await refused({ ts: NOW / 1000 }, 'ts');
    });

    it('takes prices from 0.000001 to 1,000,000,000, and sizes up to 1,000,000,000', async () => {
      await taken({ price: 0.000001, size: 1e9 });
      await taken({ price: 1e9 });
      for (const field of ['price', 'bid', 'ask']) {
        await refused({ price: 1, bid: 1, ask: 1, [field]: 1e308 }, field);
        await refused({ price: 1, bid: 1, ask: 1, [field]: 1e-320 }, field);
        await refused({ price: 1, bid: 1, ask: 1, [field]: 1e9 + 1 }, field);
      }
      await refused({ size: 1e300 }, 'size');
    });

    it('takes a price within its bid and ask, and refuses one outside them', async () => {
      await taken({ price: 100, bid: 99.99, ask: 100.01 });
      await taken({ price: 100, bid: 100, ask: 100 });
      await refused({ price: 100, bid: 100.01, ask: 100.02 }, 'price');
      await refused({ price: 100, bid: 99, ask: 99.5 }, 'price');
      await refused({ price: 100, bid: 100.5 }, 'price');
      await refused({ price: 100, ask: 99.5 }, 'price');
      await refused({ price: 100, bid: 101, ask: 99 }, 'bid');
    });
  });

  it('checks a large batch a slice at a time, letting other work run in between', async () => {
    let checked = 0;
    let checkedWhenOtherWorkRan: number | undefined;
    setImmediate(() => (checkedWhenOtherWorkRan = checked));
    const count = (symbol: string) => {
      checked++;
      return known(symbol);
    };
    const body = Array(10_000).fill('{"symbol":"AAPL","price":1}').join('\n');
    const quotes = await parseTickBatch(body, 'application/x-ndjson', count, 42);
    expect(quotes).toHaveLength(10_000);
    expect(checkedWhenOtherWorkRan).toBeLessThanOrEqual(1_000);
  });

  it('names the line of malformed NDJSON', async () => {
    expect(await refusal('{"symbol":"AAPL","price":1}\n{oops}\n', 'application/x-ndjson')).toEqual({
      field: '[1]',
      value: '{oops}',
    });
  });

  it('refuses fields named like prototype members, which the DTO would drop silently', async () => {
    for (const key of ['__proto__', 'constructor', 'toString']) {
      expect(
        await refusal(`[{"symbol":"AAPL","price":1},{"symbol":"AAPL","price":1,"${key}":1}]`),
      ).toEqual({ field: `[1].${key}`, value: null });
    }
  });
});
