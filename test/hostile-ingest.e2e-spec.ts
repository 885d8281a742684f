import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import type { Quote } from '@tickstream/client/contract';
import { DEFAULT_UNIVERSE } from '../src/market-data/symbol-universe.js';
import { startServer, type TestServer } from './support/test-server.js';

// Property-based tests of POST /api/ticks against the real server: a batch is published whole
// or not at all, whatever the body, and nothing ever gets a 5xx.

const TOKEN = 'ingest-token-for-hostile-tests-0123';
const HOUR = 3_600_000;
/** When the tests start: every tick made is within the last day, well inside the window. */
const STARTED = Date.now();
const SYMBOLS = DEFAULT_UNIVERSE.map((profile) => profile.symbol);
const TYPES = ['application/json', 'application/x-ndjson'] as const;

type Tick = Record<string, unknown>;
type Corruption = [string, (tick: Tick) => unknown];

const validTick: fc.Arbitrary<Tick> = fc
  .record(
    {
      symbol: fc.constantFrom(...SYMBOLS).chain((s) => fc.constantFrom(s, s.toLowerCase())),
      price: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
      spread: fc.double({ min: 0, max: 0.5, noNaN: true }),
      size: fc.nat({ max: 1e9 }),
      ts: fc.integer({ min: STARTED - 23 * HOUR, max: STARTED }),
    },
    { requiredKeys: ['symbol', 'price'] },
  )
  .map(({ spread, ...tick }) =>
    spread === undefined
      ? tick
      : { ...tick, bid: tick.price * (1 - spread / 2), ask: tick.price * (1 + spread / 2) },
  );

/** Values each field refuses (null is "not given" for the optional ones). */
const BAD_VALUES: Record<string, unknown[]> = {
  symbol: [null, -1, '', 'aa pl', '$AAPL', [1], {}],
  price: [null, -1, 0, '12.5', [1], {}, 1e308, 1e-320, 2e9],
  bid: [-1, 0, '12.5', [1], {}, 1e308, 1e-320, 2e9],
  ask: [-1, 0, '12.5', [1], {}, 1e308, 1e-320, 2e9],
  size: [-1, 0.5, '1', [1], {}, 1e300],
  ts: [-1, 0.5, 9e15, 8.64e15, 0, STARTED + HOUR, STARTED - 25 * HOUR, '1', [1], {}],
};

/** What one bad tick in a batch may look like: each must reject the whole batch. */
const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc
    .constantFrom('symbol', 'price')
    .map((field): Corruption => [
      `no ${field}`,
      (tick: Tick) => Object.fromEntries(Object.entries(tick).filter(([key]) => key !== field)),
    ]),
  fc
    .constantFrom(...Object.keys(BAD_VALUES))
    .chain((field) => fc.tuple(fc.constant(field), fc.constantFrom(...BAD_VALUES[field])))
    .map(([field, value]): Corruption => [
      `${field}: ${JSON.stringify(value)}`,
      (tick: Tick) => ({ ...tick, [field]: value }),
    ]),
  fc
    .stringMatching(/^[A-Z]{1,5}$/)
    .filter((symbol) => !SYMBOLS.includes(symbol))
    .map((symbol): Corruption => [`unknown ${symbol}`, (tick: Tick) => ({ ...tick, symbol })]),
  fc.constant<Corruption>([
    'bid above ask',
    (tick: Tick) => ({ ...tick, bid: Number(tick.price) * 2, ask: Number(tick.price) }),
  ]),
  fc.constantFrom(0.5, 2).map((factor): Corruption => [
    `price outside bid and ask`,
    (tick: Tick) => ({
      ...tick,
      bid: Number(tick.price) * factor,
      ask: Number(tick.price) * factor * 1.01,
    }),
  ]),
  fc
    .oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', 'Price'),
      fc.string({ minLength: 1 }),
    )
    .filter(
      (key) =>
        !['symbol', 'kind', 'price', 'bid', 'ask', 'size', 'bidSize', 'askSize', 'ts'].includes(
          key,
        ),
    )
    .map((key): Corruption => [
      `extra field ${JSON.stringify(key)}`,
      (tick: Tick) =>
        JSON.parse(
          JSON.stringify(tick).replace(/^\{/, () => `{${JSON.stringify(key)}:1,`),
        ) as unknown,
    ]),
  fc
    .oneof(fc.constant(null), fc.string(), fc.integer(), fc.constant([]))
    .map((value): Corruption => [`a tick that is ${JSON.stringify(value)}`, () => value]),
);

function encode(ticks: unknown[], type: (typeof TYPES)[number]): string {
  return type === 'application/json'
    ? JSON.stringify(ticks)
    : ticks.map((tick) => JSON.stringify(tick)).join('\n');
}

describe('hostile input to POST /api/ticks', () => {
  let server: TestServer;
  let published: Quote[] = [];
  let counting: Subscription;

  const post = (body: string, type: string | undefined) =>
    fetch(`${server.url}/api/ticks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, ...(type ? { 'Content-Type': type } : {}) },
      body,
    });

  beforeAll(async () => {
    server = await startServer({ FEED: 'none', INGEST_TOKEN: TOKEN });
    counting = server.ticks.subscribe((tick) => published.push(tick.quote));
  });

  afterAll(async () => {
    counting.unsubscribe();
    await server.close();
  });

  it('publishes every tick of a valid batch, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validTick, { minLength: 1, maxLength: 20 }),
        fc.constantFrom(...TYPES),
        async (ticks, type) => {
          published = [];
          const response = await post(encode(ticks, type), type);
          expect(response.status).toBe(202);
          const { ids } = (await response.json()) as { ids: string[] };
          expect(ids).toHaveLength(ticks.length);
          expect(published.map(({ symbol, price }) => [symbol, price])).toEqual(
            ticks.map(({ symbol, price }) => [String(symbol).toUpperCase(), price]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects a batch with one bad tick anywhere with 400 naming it, and publishes nothing of it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validTick, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        corruption,
        fc.constantFrom(...TYPES),
        async (ticks, at, [, corrupt], type) => {
          published = [];
          const index = at % ticks.length;
          const batch: unknown[] = [...ticks];
          batch[index] = corrupt(ticks[index]);
          const response = await post(encode(batch, type), type);
          expect(response.status).toBe(400);
          const body = (await response.json()) as { field: string };
          expect(body.field.startsWith(`[${index}]`)).toBe(true);
          expect(published).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a tick made far in the future, which would hold its candles until then', async () => {
    const candles = async () =>
      (await (await fetch(`${server.url}/api/symbols/NVDA/candles?interval=1s`)).json()) as {
        time: number;
        close: number;
      }[];
    const future = await post(
      JSON.stringify([{ symbol: 'NVDA', price: 1, ts: 8.64e15 }]),
      TYPES[0],
    );
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ field: '[0].ts', value: 8.64e15 });
    expect((await post(JSON.stringify([{ symbol: 'NVDA', price: 2 }]), TYPES[0])).status).toBe(202);
    const bars = await candles();
    expect(bars.at(-1)?.close).toBe(2);
    expect(Math.abs((bars.at(-1)?.time ?? 0) * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('never answers 5xx, and publishes a batch whole or not at all, for any body', async () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .array(fc.oneof(validTick, fc.jsonValue()), { maxLength: 10 })
        .map((items) => JSON.stringify(items)),
      fc
        .array(fc.jsonValue(), { maxLength: 10 })
        .map((items) => items.map((item) => JSON.stringify(item)).join('\n')),
    );
    const type = fc.constantFrom(
      undefined,
      'application/json',
      'application/x-ndjson',
      'text/plain',
      'application/json; charset=utf-8',
    );
    await fc.assert(
      fc.asyncProperty(body, type, async (sent, contentType) => {
        published = [];
        const response = await post(sent, contentType);
        expect(response.status).toBeLessThan(500);
        const answer = (await response.json()) as { ids?: string[] };
        if (response.status === 202) {
          expect(published).toHaveLength(answer.ids?.length ?? -1);
        } else {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(published).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
