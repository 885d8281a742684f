import type { Redis } from 'ioredis';
import {
  dropPrefix,
  keysOf,
  redisClient,
  SHARED_REDIS_URL,
  uniquePrefix,
} from './support/redis.js';
import { startServer, type TestServer } from './support/test-server.js';

const TOKEN = 'ingest-token-for-tests-0123456789';

function post(
  server: TestServer,
  body: string,
  { token = TOKEN, type = 'application/json' }: { token?: string | null; type?: string } = {},
): Promise<Response> {
  const auth: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  return fetch(`${server.url}/api/ticks`, {
    method: 'POST',
    headers: { 'Content-Type': type, ...auth },
    body,
  });
}

interface TwoInstances {
  /** Takes ingestion, with TOKEN. */
  withToken: TestServer;
  /** Has no INGEST_TOKEN. */
  withoutToken: TestServer;
  /** A plain client, to see what the instances left in Redis. */
  redis: Redis;
}

/**
 * Two instances sharing Redis under `prefix`, configured with `env` as well, started before the
 * tests of the enclosing block and closed after them.
 */
function twoInstancesOnRedis(prefix: string, env: Record<string, string>): TwoInstances {
  const shared = {
    BUS: 'redis',
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: prefix,
    FEED: 'none',
    ...env,
  };
  const instances: Partial<TwoInstances> = {};
  beforeAll(async () => {
    [instances.withToken, instances.withoutToken] = await Promise.all([
      startServer({ ...shared, INGEST_TOKEN: TOKEN }),
      startServer(shared),
    ]);
    instances.redis = redisClient(SHARED_REDIS_URL);
    await instances.redis.connect();
  });
  afterAll(async () => {
    await Promise.all([instances.withToken?.close(), instances.withoutToken?.close()]);
    instances.redis?.disconnect();
    await dropPrefix(prefix);
  });
  // Filled by beforeAll, before any test reads it.
  return instances as TwoInstances;
}

describe('POST /api/ticks on two instances sharing Redis', () => {
  const prefix = uniquePrefix('ingest');
  const on = twoInstancesOnRedis(prefix, { INGEST_MAX_BYTES: '2048' });

  /** What the stream holds: bad batches must leave it exactly as it was. */
  const streamState = async () => {
    const { stream } = keysOf(prefix);
    return {
      length: await on.redis.xlen(stream),
      last: await on.redis.xrevrange(stream, '+', '-', 'COUNT', 1),
    };
  };

  it('publishes an authorised batch in order, to subscribers of every instance', async () => {
    const made = Date.now() - 60_000;
    const onA = on.withToken.connect('symbols=AAPL,MSFT');
    const onB = on.withoutToken.connect('symbols=msft,AAPL');
    await Promise.all(
      [onA, onB].map((c) => c.waitFor((client) => client.of('snapshot').length === 1)),
    );

    const response = await post(
      on.withToken,
      JSON.stringify([
        { symbol: 'AAPL', price: 101.5, bid: 101.4, ask: 101.6, size: 300, ts: made },
        { symbol: 'msft', price: 402 },
        { symbol: 'AAPL', price: 101.7 },
      ]),
    );
    expect(response.status).toBe(202);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(3);

    const ndjson = await post(
      on.withToken,
      '{"symbol":"MSFT","price":403}\n{"symbol":"AAPL","price":101.8}\n',
      {
        type: 'application/x-ndjson',
      },
    );
    expect(ndjson.status).toBe(202);
    const { ids: more } = (await ndjson.json()) as { ids: string[] };

    for (const client of [onA, onB]) {
      await client.waitFor((c) => c.ticks().length === 5);
      expect(client.ticks().map(({ id, symbol, price }) => [id, symbol, price])).toEqual([
        [ids[0], 'AAPL', 101.5],
        [ids[1], 'MSFT', 402],
        [ids[2], 'AAPL', 101.7],
        [more[0], 'MSFT', 403],
        [more[1], 'AAPL', 101.8],
      ]);
    }
    const [first, second] = onB.ticks();
    expect(first).toMatchObject({ bid: 101.4, ask: 101.6, size: 300, ts: made });
    expect(second).toMatchObject({ bid: 402, ask: 402, size: 0 });
    expect(Math.abs(second.ts - Date.now())).toBeLessThan(10_000);

    const symbol = (await (await fetch(`${on.withoutToken.url}/api/symbols/AAPL`)).json()) as {
      quote: { price: number };
    };
    expect(symbol.quote.price).toBe(101.8);
  });

  it.each([
    [
      'a bad field',
      () => post(on.withToken, '[{"symbol":"AAPL","price":1},{"symbol":"AAPL","price":"x"}]'),
      400,
      '[1].price',
    ],
    [
      'an unknown symbol',
      () => post(on.withToken, '[{"symbol":"AAPL","price":1},{"symbol":"ZZZZ","price":1}]'),
      400,
      '[1].symbol',
    ],
    [
      'a bad NDJSON line',
      () =>
        post(on.withToken, '{"symbol":"AAPL","price":1}\nnope\n', { type: 'application/x-ndjson' }),
      400,
      '[1]',
    ],
    [
      'no Authorization header',
      () => post(on.withToken, '[{"symbol":"AAPL","price":1}]', { token: null }),
      401,
      undefined,
    ],
    [
      'a wrong token',
      () => post(on.withToken, '[{"symbol":"AAPL","price":1}]', { token: 'not-the-token' }),
      401,
      undefined,
    ],
    [
      'no token configured',
      () => post(on.withoutToken, '[{"symbol":"AAPL","price":1}]'),
      503,
      undefined,
    ],
    [
      'a body over the limit',
      () =>
        post(
          on.withToken,
          JSON.stringify(Array.from({ length: 100 }, () => ({ symbol: 'AAPL', price: 1 }))),
        ),
      413,
      undefined,
    ],
    [
      'another content type',
      () => post(on.withToken, 'AAPL 1', { type: 'text/plain' }),
      415,
      undefined,
    ],
  ])('refuses a batch with %s and publishes none of it', async (_, send, status, field) => {
    const before = await streamState();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { field?: string; message: string };
    if (field !== undefined) {
      expect(body.field).toBe(field);
      expect(body.message).toMatch(/^\[\d\]/);
    }
    expect(await streamState()).toEqual(before);
  });
});

describe('POST /api/ticks with ALLOW_NEW_SYMBOLS=true', () => {
  let server: TestServer;

  afterAll(async () => {
    await server?.close();
  });

  it('accepts a new symbol, which can then be streamed and looked up', async () => {
    server = await startServer({ FEED: 'none', INGEST_TOKEN: TOKEN, ALLOW_NEW_SYMBOLS: 'true' });
    const client = server.connect('symbols=NEWCO');
    await client.waitFor((c) => c.of('snapshot').length === 1);
    const response = await post(server, '[{"symbol":"NEWCO","price":12.5}]');
    expect(response.status).toBe(202);
    await client.waitFor((c) => c.lastPrice('NEWCO') === 12.5);
    const lookup = await fetch(`${server.url}/api/symbols/newco`);
    expect(await lookup.json()).toMatchObject({ symbol: 'NEWCO', quote: { price: 12.5 } });
    expect((await post(server, '[{"symbol":"not a symbol","price":1}]')).status).toBe(400);
  });
});

describe('a batch as large as the body limit admits, on Redis', () => {
  const prefix = uniquePrefix('large-batch');
  const TICKS = 150_000;
  const on = twoInstancesOnRedis(prefix, {
    INGEST_MAX_BYTES: '10000000',
    HISTORY_SIZE: String(2 * TICKS),
  });

  it('publishes it whole, in order, with no tick of another instance among its own', async () => {
    const body = Array.from({ length: TICKS }, (_, i) =>
      JSON.stringify({ symbol: i % 2 ? 'AAPL' : 'MSFT', price: 1 + i / 1e6 }),
    ).join('\n');
    // Another instance publishes all along, so that a batch published in pieces would show it.
    const interleaved: string[] = [];
    let posting = true;
    const meanwhile = (async () => {
      while (posting) {
        interleaved.push((await on.withoutToken.publish('NVDA', 1)).id);
      }
    })();
    const response = await post(on.withToken, body, { type: 'application/x-ndjson' });
    posting = false;
    await meanwhile;
    expect(response.status).toBe(202);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(TICKS);
    const { stream } = keysOf(prefix);
    const entries = await on.redis.xrange(stream, ids[0], ids[TICKS - 1]);
    expect(entries.map(([id]) => id)).toEqual(ids);
    const prices = entries.map(([, fields]) => (JSON.parse(fields[1]) as { price: number }).price);
    expect(prices).toEqual(ids.map((_, i) => 1 + i / 1e6));
    expect(interleaved.length).toBeGreaterThan(0);
    expect(await on.redis.xlen(stream)).toBe(TICKS + interleaved.length);
  }, 60_000);

  it('answers other requests while the batch is sent, a chunk at a time, inside its transaction', async () => {
    const body = JSON.stringify(
      Array.from({ length: TICKS }, (_, i) => ({ symbol: 'AAPL', price: 1 + i / 1e6 })),
    );
    const { stream } = keysOf(prefix);
    const response = post(on.withToken, body);
    // The instance's batch connection, once Redis has it inside MULTI (flag x).
    const inMulti = async (): Promise<boolean> => {
      const clients = String(await on.redis.call('CLIENT', 'LIST'));
      return clients
        .split('\n')
        .some((line) => line.includes('name=tickstream-batches') && /flags=\S*x/.test(line));
    };
    const deadline = Date.now() + 30_000;
    while (!(await inMulti())) {
      expect(Date.now()).toBeLessThan(deadline);
    }
    // The instance answers while it sends the batch's calls.
    expect((await fetch(`${on.withToken.url}/health/live`)).status).toBe(200);
    const answer = await response;
    expect(answer.status).toBe(202);
    const { ids } = (await answer.json()) as { ids: string[] };
    expect(ids).toHaveLength(TICKS);
    const [[newest]] = await on.redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    expect(newest).toBe(ids.at(-1));
  }, 60_000);

  it('refuses a batch of many chunks whole when a symbol of its last chunk is halted', async () => {
    const halt = await fetch(`${on.withToken.url}/api/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ symbol: 'NVDA', state: 'halted' }),
    });
    expect(halt.status).toBe(202);
    const { stream } = keysOf(prefix);
    const before = await on.redis.xlen(stream);
    const ticks = Array.from({ length: TICKS }, (_, i) => ({ symbol: 'AAPL', price: 1 + i / 1e6 }));
    ticks.push({ symbol: 'NVDA', price: 1 });
    const response = await post(on.withToken, JSON.stringify(ticks));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ field: `[${TICKS}].symbol`, value: 'NVDA' });
    expect(await on.redis.xlen(stream)).toBe(before);
  }, 60_000);
});
