import {
  CANDLE_INTERVALS,
  type BarData,
  type Candle,
  type CandleInterval,
  type CandlePage,
} from '@tickstream/client/contract';
import { BAR_CLOSE_GRACE_MS } from '../src/market-data/bars/bar-book.service.js';
import { barsOfTicks } from './support/bars-of-ticks.js';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import type { SseClient } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

// Bars at every interval, made from ingested ticks whose times cross the intervals' boundaries
// (UTC midnight among them), against the ticks a throttle=0 stream received: on the stream, from
// the candles endpoint in one page and in many, on one instance and on a second one on Redis.

const INGEST_TOKEN = 'an-ingest-token-for-intervals';
const SYMBOLS = ['AAPL', 'MSFT'];
const INTERVALS: CandleInterval[] = ['1s', '1m', '5m', '15m', '1h', '1d'];
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Times around boundaries: a day's (UTC midnight), an hour's, a quarter's, five minutes'. */
function tickTimes(now: number): number[] {
  const midnight = Math.floor(now / DAY) * DAY;
  const hour = Math.floor((now - 20 * 60_000) / HOUR) * HOUR;
  const quarter = Math.floor((now - 40 * 60_000) / 900_000) * 900_000;
  const five = Math.floor((now - 50 * 60_000) / 300_000) * 300_000;
  const offsets = [-301_000, -61_000, -2_000, -1, 0, 1, 59_000, 299_999, 301_000];
  // Within what ingestion takes (a day old at most), with room for the test's own time.
  const oldest = now - DAY + 5 * 60_000;
  const times = [midnight, hour, quarter, five].flatMap((at) => offsets.map((d) => at + d));
  return [...new Set(times)].filter((ts) => ts >= oldest && ts <= now - 2_000);
}

/** Every tick for every symbol, in an order that is not their times' (late ones correct). */
function tickBatch(now: number): object[] {
  const ticks = tickTimes(now).flatMap((ts, i) =>
    SYMBOLS.map((symbol, s) => ({
      symbol,
      price: Math.round((100 + s * 50 + ((i * 37) % 23) - 11) * 100) / 100,
      size: 1 + ((i * 7 + s) % 5),
      ts,
    })),
  );
  // Odd ones after even ones, newest first within each: bars open late, close, get corrected.
  return [...ticks.filter((_, i) => i % 2 === 0), ...ticks.filter((_, i) => i % 2 === 1).reverse()];
}

const ingest = (server: TestServer, ticks: object[]) =>
  fetch(`${server.url}/api/ticks`, {
    method: 'POST',
    body: JSON.stringify(ticks),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST_TOKEN}` },
  });

/** The last of each bar a stream received, by symbol and interval, oldest first. */
function streamed(client: SseClient, symbol: string, interval: CandleInterval): BarData[] {
  const last = new Map<number, BarData>();
  for (const { data } of client.of('bar')) {
    const bar = JSON.parse(data) as BarData;
    if (bar.symbol === symbol && bar.interval === interval) {
      last.set(bar.time, bar);
    }
  }
  return [...last.values()].sort((a, b) => a.time - b.time);
}

/** Whether `bar` was over, its close's grace included, at `time` (ms). */
const endedBy = (bar: BarData, time: number): boolean =>
  bar.time * 1000 + CANDLE_INTERVALS[bar.interval] + BAR_CLOSE_GRACE_MS <= time;

const candleOf = ({ time, open, high, low, close, volume }: Candle): Candle => ({
  time,
  open,
  high,
  low,
  close,
  volume,
});

async function getJson<T>(server: TestServer, path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`);
  expect({ path, status: response.status }).toEqual({ path, status: 200 });
  return (await response.json()) as T;
}

/** Every page of a range, `limit` bars at a time, following `next`. */
async function paged(server: TestServer, path: string, limit: number): Promise<CandlePage[]> {
  const pages: CandlePage[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const page: CandlePage = await getJson<CandlePage>(
      server,
      `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    pages.push(page);
    cursor = page.next;
  }
  return pages;
}

/**
 * Posts the ticks into `into`, and checks on `read` that a stream's bars at every interval,
 * final, and the candles endpoint's, agree with the ticks its throttle=0 stream received.
 */
async function barsAgree(into: TestServer, read: TestServer): Promise<void> {
  const client = read.connect(
    `symbols=${SYMBOLS.join(',')}&throttle=0&bars=${INTERVALS.join(',')}`,
  );
  await client.waitFor((c) => c.of('snapshot').length > 0, 10_000, 'the snapshot');
  const now = Date.now();
  const batch = tickBatch(now);
  expect((await ingest(into, batch)).status).toBe(202);
  await client.waitFor((c) => c.ticks().length === batch.length, 10_000, 'every tick');
  const ticks = client.ticks();
  const expected = (symbol: string, interval: CandleInterval) =>
    barsOfTicks(
      ticks.filter((tick) => tick.symbol === symbol),
      interval,
    );
  const settled = (c: SseClient) =>
    SYMBOLS.every((symbol) =>
      INTERVALS.every((interval) => {
        const bars = streamed(c, symbol, interval);
        return (
          bars.length === expected(symbol, interval).length &&
          bars.every((bar) => bar.final || !endedBy(bar, now))
        );
      }),
    );
  // Past the wait, the comparisons below say what differs.
  await client.waitFor(settled, 10_000, 'every bar, final').catch(() => undefined);
  const times = batch.map((tick) => (tick as { ts: number }).ts);
  const [from, to] = [Math.min(...times), Math.max(...times)];
  for (const symbol of SYMBOLS) {
    for (const interval of INTERVALS) {
      const want = expected(symbol, interval);
      const bars = streamed(client, symbol, interval);
      expect({ symbol, interval, bars: bars.map(candleOf) }).toEqual({
        symbol,
        interval,
        bars: want,
      });
      // Closed once over, on the bus's clock; today's day, this hour's hour... still open.
      const finals = (ended: boolean) =>
        bars.filter((bar) => endedBy(bar, Date.now()) === ended).map((bar) => bar.final);
      expect(bars.filter((bar) => endedBy(bar, now)).every((bar) => bar.final)).toBe(true);
      expect(finals(false).every((final) => !final)).toBe(true);
      // The range asked from the first tick's bar, in ISO 8601 and in ms.
      const start = new Date(want[0].time * 1000).toISOString();
      const path = `/api/symbols/${symbol}/candles?interval=${interval}&from=${start}&to=${to}`;
      const whole = await getJson<CandlePage>(read, `${path}&limit=100000`);
      expect({ symbol, interval, candles: whole.candles }).toEqual({
        symbol,
        interval,
        candles: want,
      });
      expect(whole).toMatchObject({ next: null, beforeHeld: false });
      const pages = await paged(read, path, 2);
      expect(pages.flatMap((page) => page.candles)).toEqual(whole.candles);
      expect(pages.length).toBe(Math.max(1, Math.ceil(want.length / 2)));
      // Today's callers' answer is as it was: the newest bars, an array.
      const newest = await getJson<Candle[]>(
        read,
        `/api/symbols/${symbol}/candles?interval=${interval}&limit=2`,
      );
      expect(newest).toEqual(want.slice(-2));
    }
  }
  // Midnight is crossed but in the last minutes of a UTC day, when the day before is too old.
  const midnight = Math.floor(now / DAY) * DAY;
  if (now - midnight < DAY - 10 * 60_000) {
    expect(from).toBeLessThan(midnight);
    expect(expected(SYMBOLS[0], '1d').length).toBe(now - midnight > 2_000 ? 2 : 1);
  }
}

/** The newest bars of every symbol and interval, as `server`'s candles endpoint gives them. */
async function allCandles(server: TestServer): Promise<Candle[][]> {
  const paths = SYMBOLS.flatMap((symbol) =>
    INTERVALS.map((interval) => `/api/symbols/${symbol}/candles?interval=${interval}&limit=1000`),
  );
  return Promise.all(paths.map((path) => getJson<Candle[]>(server, path)));
}

describe('bars at every interval', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('agree with the ticks of a throttle=0 stream across their boundaries, on the stream and from the candles endpoint', async () => {
    server = await startServer({ FEED: 'none', INGEST_TOKEN });
    await barsAgree(server, server);
  });
});

describe('candles by time', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ FEED: 'none', INGEST_TOKEN });
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses, naming the field and the value, what it cannot read and a range that ends before it begins', async () => {
    const candles = '/api/symbols/AAPL/candles';
    const minutes = await getJson<CandlePage>(server, `${candles}?from=0&limit=1`);
    expect(minutes).toEqual({ candles: [], next: null, held: null, beforeHeld: false });
    const cases: [string, string, string][] = [
      ['from=yesterday', 'from', 'yesterday'],
      ['to=2026-12-07T14:30:00', 'to', '2026-12-07T14:30:00'],
      ['from=2026-12-08&to=2026-12-07', 'from', '2026-12-08'],
      ['cursor=not%20one', 'cursor', 'not one'],
      // A cursor of another interval's range.
      [`interval=5m&cursor=${Buffer.from('1m:1796601600').toString('base64url')}`, 'cursor', ''],
    ];
    for (const [query, field, value] of cases) {
      const response = await fetch(`${server.url}${candles}?${query}`);
      const body = (await response.json()) as { field: string; value: string };
      expect({ query, status: response.status, field: body.field }).toEqual({
        query,
        status: 400,
        field,
      });
      if (value) {
        expect(body.value).toBe(value);
      }
    }
  });

  it('says when the range asked begins before the bars it holds', async () => {
    const ts = Date.now() - 60_000;
    expect((await ingest(server, [{ symbol: 'KO', price: 60, size: 3, ts }])).status).toBe(202);
    const minute = Math.floor(ts / 60_000) * 60_000;
    const path = '/api/symbols/KO/candles?interval=1m';
    const page = await getJson<CandlePage>(server, `${path}&from=${minute - 3_600_000}`);
    expect(page).toEqual({
      candles: [{ time: minute / 1000, open: 60, high: 60, low: 60, close: 60, volume: 3 }],
      next: null,
      held: { from: minute, to: minute },
      beforeHeld: true,
    });
    expect(await getJson<CandlePage>(server, `${path}&from=${minute}`)).toMatchObject({
      beforeHeld: false,
    });
  });
});

describe('bars at every interval, on Redis', () => {
  const prefix = uniquePrefix('intervals');
  const servers: TestServer[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await dropPrefix(prefix);
  });

  it('are the same on a second instance as the ticks it streamed make them', async () => {
    const redis = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
    const shared = { FEED: 'none', INGEST_TOKEN, ...redis };
    servers.push(await startServer(shared), await startServer(shared));
    const [one, two] = servers;
    await barsAgree(one, two);
    expect(await allCandles(one)).toEqual(await allCandles(two));
  });
});
