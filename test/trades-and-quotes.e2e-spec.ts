import type { Quote } from '@tickstream/client/contract';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { startServer, type TestServer } from './support/test-server.js';

// A tick says whether a trade happened or only the quote changed, with the sizes at the bid and
// the ask; a throttled stream never loses a symbol's last trade to a quote that came after it.

const INGEST_TOKEN = 'the-ingest-token-of-the-trade-tests';

const post = (server: TestServer, body: unknown) =>
  fetch(`${server.url}/api/ticks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST_TOKEN}` },
    body: JSON.stringify(body),
  });

const prefix = uniquePrefix('trades');

describe.each([
  ['memory', {}],
  ['redis', { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix }],
])('trades and quotes on the %s bus', (_, bus: Record<string, string>) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ ...bus, INGEST_TOKEN, FEED: 'none' });
  });

  afterAll(async () => {
    await server.close();
    await dropPrefix(prefix);
  });

  it('are told apart on every stream, and a throttled one keeps the last trade with the latest quote', async () => {
    const every = server.connect('symbols=AAPL&throttle=0');
    const throttled = server.connect('symbols=AAPL&throttle=2000');
    await every.waitFor((c) => c.of('snapshot').length === 1);
    await throttled.waitFor((c) => c.of('snapshot').length === 1);
    // The first tick of a quiet throttled stream goes out at once; those after it wait.
    expect((await post(server, [{ symbol: 'AAPL', price: 99, size: 10 }])).status).toBe(202);
    await throttled.waitFor((c) => c.ticks().length === 1);
    const ts = Date.now();
    const batch = [
      {
        symbol: 'AAPL',
        price: 100,
        bid: 99.9,
        ask: 100.1,
        size: 50,
        bidSize: 200,
        askSize: 300,
        ts,
      },
      // The quote alone moves after the trade: its price is the last trade's.
      {
        symbol: 'AAPL',
        kind: 'quote',
        price: 100,
        bid: 99.95,
        ask: 100.2,
        bidSize: 400,
        askSize: 100,
        ts: ts + 1,
      },
    ];
    expect((await post(server, batch)).status).toBe(202);
    await every.waitFor((c) => c.ticks().length === 3);
    const sent = every.ticks().slice(1) as (Quote & { id: string })[];
    expect(sent).toMatchObject([
      {
        kind: 'trade',
        price: 100,
        size: 50,
        bid: 99.9,
        ask: 100.1,
        bidSize: 200,
        askSize: 300,
        ts,
      },
      {
        kind: 'quote',
        price: 100,
        size: 0,
        bid: 99.95,
        ask: 100.2,
        bidSize: 400,
        askSize: 100,
        ts: ts + 1,
      },
    ]);
    // Throttled, one tick stands for both: the trade's price, size and time, the latest quote.
    await throttled.waitFor((c) => c.ticks().length === 2, 5_000, 'the conflated tick');
    expect(throttled.ticks()[1]).toMatchObject({
      kind: 'trade',
      price: 100,
      size: 50,
      ts,
      bid: 99.95,
      ask: 100.2,
      bidSize: 400,
      askSize: 100,
      id: sent[1].id,
    });
    // The day's figures count the trade and not the quote.
    const info = (await (await fetch(`${server.url}/api/symbols/AAPL`)).json()) as {
      day: { volume: number; lastTradeTs: number };
    };
    expect(info.day).toMatchObject({ volume: 60, lastTradeTs: ts });
  });

  it('refuses a tick whose kind and size disagree, or bad sizes, with 400 naming the field', async () => {
    const cases: [unknown, string, unknown][] = [
      [{ symbol: 'AAPL', price: 1, kind: 'trade' }, '[0].size', 0],
      [{ symbol: 'AAPL', price: 1, kind: 'quote', size: 5 }, '[0].size', 5],
      [{ symbol: 'AAPL', price: 1, kind: 'print' }, '[0].kind', 'print'],
      [{ symbol: 'AAPL', price: 1, bidSize: -1 }, '[0].bidSize', -1],
      [{ symbol: 'AAPL', price: 1, askSize: 1.5 }, '[0].askSize', 1.5],
    ];
    for (const [tick, field, value] of cases) {
      const response = await post(server, [tick]);
      expect([field, response.status]).toEqual([field, 400]);
      expect(await response.json()).toMatchObject({ statusCode: 400, field, value });
    }
  });
});
