import type { DayFigures, SnapshotData, SymbolInfo } from '@tickstream/client/contract';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { startServer, type TestServer } from './support/test-server.js';

// The day's figures (open, high, low, volume, previous close, last trade's time) through the
// real interfaces: a feed begins a session, trades move it, a quote without a trade does not, a
// symbol that closes begins another with its next trade, and on Redis a restarted process still
// knows the day.

const INGEST_TOKEN = 'the-ingest-token-of-the-day-tests';
const HEADERS = { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST_TOKEN}` };

async function post(server: TestServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}/${path}`, {
    method: 'POST',
    headers: HEADERS,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function symbolInfo(server: TestServer, symbol: string): Promise<SymbolInfo> {
  const response = await fetch(`${server.url}/api/symbols/${symbol}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SymbolInfo;
}

/** Asks `server` for AAPL's figures until `accept` takes them, within a generous bound. */
async function figuresUntil(
  server: TestServer,
  accept: (info: SymbolInfo) => boolean,
  what: string,
): Promise<SymbolInfo> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const info = await symbolInfo(server, 'AAPL');
    if (accept(info)) {
      return info;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(info)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function snapshotOf(server: TestServer, symbol: string) {
  const client = server.connect(`symbols=${symbol}&live=false`);
  await client.waitFor((c) => c.of('snapshot').length > 0);
  const { quotes } = JSON.parse(client.of('snapshot')[0].data) as SnapshotData;
  client.close();
  return quotes[0];
}

const dayPrefix = uniquePrefix('day-ingest');

// The memory bus folds in TypeScript, the Redis bus in its scripts: both are held to the same.
describe.each([
  ['memory', {}],
  ['redis', { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: dayPrefix }],
])("the day's figures on the %s bus", (_, bus: Record<string, string>) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      ...bus,
      INGEST_TOKEN,
      FEED: 'none',
      STATUS_RATE_LIMIT: '100000',
    });
  });

  afterAll(async () => {
    await server.close();
    await dropPrefix(dayPrefix);
  });

  it('begin with a feed’s session and move with each trade, not with a quote alone', async () => {
    const begun = await post(server, 'api/symbols/aapl/session', { previousClose: 200 });
    expect(begun.status).toBe(202);
    expect(await begun.json()).toEqual({
      symbol: 'AAPL',
      day: { open: null, high: null, low: null, volume: 0, previousClose: 200, lastTradeTs: null },
    });
    const now = Date.now();
    const ticks = [
      { symbol: 'AAPL', price: 202, size: 100, ts: now - 3 },
      { symbol: 'AAPL', price: 205, size: 50, ts: now - 2 },
      { symbol: 'AAPL', price: 199, size: 25, ts: now - 1 },
      // A quote alone: the last trade's figures stand.
      { symbol: 'AAPL', price: 210, bid: 209, ask: 211, size: 0, ts: now },
    ];
    expect((await post(server, 'api/ticks', ticks)).status).toBe(202);
    const day: DayFigures = {
      open: 202,
      high: 205,
      low: 199,
      volume: 175,
      previousClose: 200,
      lastTradeTs: now - 1,
    };
    const info = await symbolInfo(server, 'AAPL');
    expect(info).toMatchObject({ day, sessionOpen: 202, state: 'open', quote: { price: 210 } });
    expect(await snapshotOf(server, 'AAPL')).toMatchObject({ day, sessionOpen: 202, price: 210 });
  });

  it('take a session under way, and a closed symbol’s next trade begins another', async () => {
    const now = Date.now();
    const session = { previousClose: 50, open: 51, high: 53, low: 49.5, volume: 1_000 };
    const begun = await post(server, 'api/symbols/MSFT/session', {
      ...session,
      lastTradeTs: now - 60_000,
    });
    expect(begun.status).toBe(202);
    expect(
      (await post(server, 'api/ticks', [{ symbol: 'MSFT', price: 54, size: 10 }])).status,
    ).toBe(202);
    expect((await symbolInfo(server, 'MSFT')).day).toMatchObject({
      ...session,
      high: 54,
      volume: 1_010,
    });

    expect((await post(server, 'api/status', { symbol: 'MSFT', state: 'closed' })).status).toBe(
      202,
    );
    // Closed, the day it had stands.
    expect((await symbolInfo(server, 'MSFT')).day).toMatchObject({ open: 51, previousClose: 50 });
    expect((await post(server, 'api/status', { symbol: 'MSFT', state: 'open' })).status).toBe(202);
    const ts = Date.now();
    expect(
      (await post(server, 'api/ticks', [{ symbol: 'MSFT', price: 55, size: 7, ts }])).status,
    ).toBe(202);
    expect((await symbolInfo(server, 'MSFT')).day).toEqual({
      open: 55,
      high: 55,
      low: 55,
      volume: 7,
      previousClose: 54,
      lastTradeTs: ts,
    });
  });

  it('carry a halt’s reason and since when, for a client that connects after it', async () => {
    expect((await post(server, 'api/ticks', [{ symbol: 'TSLA', price: 250 }])).status).toBe(202);
    const halted = await post(server, 'api/status', {
      symbol: 'TSLA',
      state: 'halted',
      reason: 'news pending',
    });
    expect(halted.status).toBe(202);
    const info = await symbolInfo(server, 'TSLA');
    expect(info).toMatchObject({ state: 'halted', stateReason: 'news pending' });
    expect(info.stateSince).toBeGreaterThan(Date.now() - 60_000);
    expect(await snapshotOf(server, 'TSLA')).toMatchObject({
      state: 'halted',
      stateReason: 'news pending',
      stateSince: info.stateSince,
    });
    expect((await post(server, 'api/status', { symbol: 'TSLA', state: 'open' })).status).toBe(202);
    expect(await symbolInfo(server, 'TSLA')).toMatchObject({ state: 'open', stateReason: null });
    // A symbol never stopped has neither.
    expect(await symbolInfo(server, 'NVDA')).toMatchObject({
      state: 'open',
      stateReason: null,
      stateSince: null,
    });
  });

  it('refuse a bad session with 400 naming the field and the value, and keep the day', async () => {
    const before = (await symbolInfo(server, 'AAPL')).day;
    const cases: [unknown, string, unknown][] = [
      [{}, 'previousClose', null],
      [{ previousClose: '200' }, 'previousClose', '200'],
      [{ previousClose: -1 }, 'previousClose', -1],
      [{ previousClose: 200, open: 201 }, 'high', null],
      [{ previousClose: 200, open: 201, high: 202, low: 203 }, 'low', 203],
      [{ previousClose: 200, open: 199, high: 202, low: 200 }, 'open', 199],
      [{ previousClose: 200, volume: 10 }, 'volume', 10],
      [{ previousClose: 200, open: 201, high: 201, low: 201, volume: 1.5 }, 'volume', 1.5],
      [{ previousClose: 200, open: 201, high: 201, low: 201, lastTradeTs: 5 }, 'lastTradeTs', 5],
      [{ previousClose: 200, close: 1 }, 'close', 1],
    ];
    for (const [body, field, value] of cases) {
      const response = await post(server, 'api/symbols/AAPL/session', body);
      expect([field, response.status]).toEqual([field, 400]);
      expect(await response.json()).toMatchObject({ statusCode: 400, field, value });
    }
    const notJson = await post(server, 'api/symbols/AAPL/session', '{"previousClose":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ field: 'body' });
    const unknown = await post(server, 'api/symbols/NOPE/session', { previousClose: 1 });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ field: 'symbol', value: 'NOPE' });
    const withoutToken = await fetch(`${server.url}/api/symbols/AAPL/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ previousClose: 1 }),
    });
    expect(withoutToken.status).toBe(401);
    expect((await symbolInfo(server, 'AAPL')).day).toEqual(before);
  });
});

describe("the simulated market's day on Redis", () => {
  const prefix = uniquePrefix('day');
  const env = {
    BUS: 'redis',
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: prefix,
    TICKS_PER_SECOND: '200',
  };

  afterAll(() => dropPrefix(prefix));

  it('is made up once, moves with every trade, and a restarted process goes on with it', async () => {
    let server = await startServer(env);
    let first: SymbolInfo;
    try {
      first = await figuresUntil(server, ({ day }) => day.volume > 0, 'AAPL to trade');
      const { day, quote } = first;
      expect(day.previousClose).toBeGreaterThan(0);
      expect(day.low).toBeLessThanOrEqual(Math.min(day.open ?? 0, quote?.price ?? 0));
      expect(day.high).toBeGreaterThanOrEqual(Math.max(day.open ?? 0, quote?.price ?? 0));
      expect(day.lastTradeTs).toBe(quote?.ts);
    } finally {
      await server.close();
    }
    server = await startServer(env);
    try {
      // The restarted market does not make up another day: it goes on with the one on Redis.
      const again = await symbolInfo(server, 'AAPL');
      expect(again.day).toMatchObject({
        open: first.day.open,
        previousClose: first.day.previousClose,
      });
      expect(again.day.volume).toBeGreaterThanOrEqual(first.day.volume);
      expect(again.day.high).toBeGreaterThanOrEqual(first.day.high ?? Infinity);
      expect(again.day.low).toBeLessThanOrEqual(first.day.low ?? -Infinity);
      await figuresUntil(server, ({ day }) => day.volume > again.day.volume, 'a trade after');
    } finally {
      await server.close();
    }
  });
});
