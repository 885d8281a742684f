import type { Candle } from '@tickstream/client/contract';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

// A feed replaying an outage's backlog sends ticks whose bars have already ended, over thousands
// of symbols. Each such bar used to make the next event scan every symbol's bars, so the work of
// a batch grew with the square of its symbols and a batch of this size held the process for
// minutes: here the batch is taken within the test's time and its bars come out right.

const TOKEN = 'an-ingest-token-for-late-ticks';
const SYMBOLS = 10_000;
/** Older than a bar's close grace: each tick's bar has ended when it comes. */
const LATE_MS = 2_000;

/** Room for them all, besides the built-in ones. */
const NEW_SYMBOLS = { ALLOW_NEW_SYMBOLS: 'true', MAX_SYMBOLS: String(2 * SYMBOLS) };

const symbolOf = (i: number): string => `L${i.toString(36).toUpperCase().padStart(4, '0')}`;

/** One late tick for each of SYMBOLS new symbols, its price telling which it is. */
function lateBatch(now: number): { body: string; ts: number } {
  const ts = now - LATE_MS;
  const ticks = Array.from({ length: SYMBOLS }, (_, i) => ({
    symbol: symbolOf(i),
    price: 10 + i / 100,
    size: 1,
    ts,
  }));
  return { body: JSON.stringify(ticks), ts };
}

const post = (server: TestServer, body: string) =>
  fetch(`${server.url}/api/ticks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body,
  });

const candles = async (server: TestServer, symbol: string): Promise<Candle[]> =>
  (await (
    await fetch(`${server.url}/api/symbols/${symbol}/candles?interval=1s`)
  ).json()) as Candle[];

/** `symbol`'s 1s bars once it has two (an edge reads the bus a moment after the feed). */
async function candlesOnceTwo(server: TestServer, symbol: string): Promise<Candle[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const bars = await candles(server, symbol);
    if (bars.length >= 2) {
      return bars;
    }
    await sleep(50);
  }
  return candles(server, symbol);
}

/** Polls /health/live until stopped; resolves with the statuses it got. */
function probe(server: TestServer): { stop: () => Promise<number[]> } {
  const statuses: number[] = [];
  let polling = true;
  const loop = (async () => {
    while (polling) {
      statuses.push((await fetch(`${server.url}/health/live`)).status);
    }
  })();
  return {
    stop: async () => {
      polling = false;
      await loop;
      return statuses;
    },
  };
}

/** Posts the late batch through `into`, then a tick now of a few symbols, and checks `read`'s bars. */
async function takesLateBatch(into: TestServer, read: TestServer): Promise<void> {
  const live = probe(read);
  try {
    await checkLateBatch(into, read);
  } finally {
    const statuses = await live.stop();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200)).toBe(true);
  }
}

async function checkLateBatch(into: TestServer, read: TestServer): Promise<void> {
  const { body, ts } = lateBatch(Date.now());
  const response = await post(into, body);
  expect(response.status).toBe(202);
  expect(((await response.json()) as { ids: string[] }).ids).toHaveLength(SYMBOLS);
  const checked = [0, 1, SYMBOLS / 2, SYMBOLS - 1];
  const now = JSON.stringify(checked.map((i) => ({ symbol: symbolOf(i), price: 5, size: 2 })));
  expect((await post(into, now)).status).toBe(202);
  const time = Math.floor(ts / 1000);
  for (const i of checked) {
    const price = 10 + i / 100;
    const [late, current] = await candlesOnceTwo(read, symbolOf(i));
    expect(late).toEqual({ time, open: price, high: price, low: price, close: price, volume: 1 });
    expect(current).toMatchObject({ open: 5, close: 5, volume: 2 });
    expect(current.time).toBeGreaterThan(time);
  }
}

describe('late ticks over thousands of new symbols', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
  });

  it('are taken, each into its own bar, which closes', async () => {
    server = await startServer({ FEED: 'none', INGEST_TOKEN: TOKEN, ...NEW_SYMBOLS });
    await takesLateBatch(server, server);
  });
});

describe('late ticks over thousands of new symbols, on Redis', () => {
  const prefix = uniquePrefix('late-ticks');
  const servers: TestServer[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await dropPrefix(prefix);
  });

  it('are taken by a bystander edge too, each into its own bar', async () => {
    const redis = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
    const shared = { FEED: 'none', INGEST_TOKEN: TOKEN, ...NEW_SYMBOLS, ...redis };
    servers.push(await startServer({ ...shared, ROLE: 'feed' }));
    servers.push(await startServer({ ...shared, ROLE: 'edge' }));
    const [feed, edge] = servers;
    await takesLateBatch(feed, edge);
  });
});
