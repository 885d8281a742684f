import type { Candle } from '@tickstream/client/contract';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { startServer, type TestServer } from './support/test-server.js';

// A feed posts a symbol's past bars with the ingest token, so that charts are full with
// FEED=none; the log's own bars win for the times they cover, and on Redis every instance takes
// what one was posted.

const INGEST_TOKEN = 'the-ingest-token-of-the-candle-tests';
const MINUTE = 60;

const postBars = (server: TestServer, symbol: string, body: unknown, interval = '1m') =>
  fetch(`${server.url}/api/symbols/${symbol}/candles?interval=${interval}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST_TOKEN}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const candlesOf = async (server: TestServer, symbol: string, interval = '1m') =>
  (await (
    await fetch(`${server.url}/api/symbols/${symbol}/candles?interval=${interval}&limit=1000`)
  ).json()) as Candle[];

/** `count` 1m bars ending `minutesAgo` minutes before this minute, prices from `price`. */
function minuteBars(count: number, minutesAgo: number, price = 100): Candle[] {
  const now = Math.floor(Date.now() / 60_000) * MINUTE;
  return Array.from({ length: count }, (_, i) => {
    const open = price + i;
    return {
      time: now - (minutesAgo + count - 1 - i) * MINUTE,
      open,
      high: open + 2,
      low: open - 1,
      close: open + 1,
      volume: 1_000 + i,
    };
  });
}

describe('past bars posted by a feed', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ INGEST_TOKEN, FEED: 'none' });
  });

  afterAll(() => server.close());

  it('fill the candles of a server without a feed, at any interval', async () => {
    const bars = minuteBars(30, 5);
    const response = await postBars(server, 'aapl', bars);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ symbol: 'AAPL', interval: '1m', taken: 30 });
    expect(await candlesOf(server, 'AAPL')).toEqual(bars);

    const day = Math.floor(Date.now() / 86_400_000) * 86_400;
    const days = [2, 1].map((ago, i) => ({
      time: day - ago * 86_400,
      open: 90 + i,
      high: 95 + i,
      low: 89 + i,
      close: 94 + i,
      volume: 5_000_000,
    }));
    expect((await postBars(server, 'AAPL', days, '1d')).status).toBe(202);
    expect(await candlesOf(server, 'AAPL', '1d')).toEqual(days);
  });

  it('give way to the bars the log made of ticks, and replace bars posted before', async () => {
    const now = Date.now();
    await server.publish('MSFT', 300);
    const own = (await candlesOf(server, 'MSFT')).at(-1);
    expect(own).toMatchObject({ open: 300, close: 300 });
    const minute = Math.floor(now / 60_000) * MINUTE;
    const posted = [
      { time: minute - 2 * MINUTE, open: 290, high: 291, low: 289, close: 290, volume: 10 },
      { time: minute - MINUTE, open: 295, high: 296, low: 294, close: 295, volume: 20 },
    ];
    // The bar of this minute is the log's own: a posted one of its time is not taken.
    const clash = { time: own?.time ?? 0, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    const response = await postBars(
      server,
      'MSFT',
      own?.time === minute ? [...posted, clash] : posted,
    );
    expect(await response.json()).toMatchObject({ taken: 2 });
    const again = [{ ...posted[1], close: 296, high: 297 }];
    expect(await (await postBars(server, 'MSFT', again)).json()).toMatchObject({ taken: 1 });
    const candles = await candlesOf(server, 'MSFT');
    expect(candles.slice(-3)).toEqual([posted[0], again[0], own]);
  });

  it('are refused with 400 naming the bar and the field, and nothing of the batch is taken', async () => {
    const [good] = minuteBars(1, 40);
    const cases: [unknown, string, unknown, string?][] = [
      [[{ ...good, time: good.time + 1 }], '[0].time', good.time + 1],
      [[good, { ...good }], '[1].time', good.time],
      [[{ ...good, low: good.high + 1 }], '[0].low', good.high + 1],
      [[{ ...good, open: good.high + 1 }], '[0].open', good.high + 1],
      [[{ ...good, volume: -1 }], '[0].volume', -1],
      [[{ ...good, close: '1' }], '[0].close', '1'],
      [[{ ...good, extra: 1 }], '[0].extra', 1],
      [[{ ...good, time: good.time + 86_400 * 10 }], '[0].time', good.time + 86_400 * 10],
      [[], 'body', null],
      [[good], 'interval', '2m', '2m'],
    ];
    for (const [body, field, value, interval] of cases) {
      const response = await postBars(server, 'NVDA', body, interval);
      expect([field, response.status]).toEqual([field, 400]);
      expect(await response.json()).toMatchObject({ statusCode: 400, field, value });
    }
    expect(await candlesOf(server, 'NVDA')).toEqual([]);
    expect((await postBars(server, 'NOPE', [good])).status).toBe(404);
    const withoutToken = await fetch(`${server.url}/api/symbols/NVDA/candles?interval=1m`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([good]),
    });
    expect(withoutToken.status).toBe(401);
  });
});

describe('past bars posted to one instance on Redis', () => {
  const prefix = uniquePrefix('posted');
  const env = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix, INGEST_TOKEN };
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    one = await startServer({ ...env, FEED: 'none' });
    two = await startServer({ ...env, FEED: 'none' });
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await dropPrefix(prefix);
  });

  it('reach every instance, and one that starts later', async () => {
    const bars = minuteBars(20, 3, 50);
    expect((await postBars(one, 'TSLA', bars)).status).toBe(202);
    const deadline = Date.now() + 15_000;
    while ((await candlesOf(two, 'TSLA')).length < bars.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await candlesOf(two, 'TSLA')).toEqual(bars);
    const later = await startServer({ ...env, FEED: 'none' });
    try {
      const until = Date.now() + 15_000;
      while ((await candlesOf(later, 'TSLA')).length < bars.length && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await candlesOf(later, 'TSLA')).toEqual(bars);
    } finally {
      await later.close();
    }
  });
});
