import { OpenStreams } from '../src/stream/open-streams.js';
import { ask } from './support/http.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { bearer, JWT_SERVER, token } from './support/tokens.js';

describe('connection limits', () => {
  let server: TestServer;
  const streams: RawStream[] = [];
  const open = async (query: string, headers: Record<string, string> = {}) => {
    const stream = await openRawStream(`${server.url}/api/stream?${query}`, headers);
    streams.push(stream);
    return stream;
  };
  const registry = () => server.app.get(OpenStreams);

  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.close());
    await server.close();
  });

  async function expect429(query: string, headers: Record<string, string>, limit: string) {
    const answer = await ask(`${server.url}/api/stream?${query}`, headers);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.body).toMatchObject({ statusCode: 429, field: 'connections', limit });
  }

  it('refuses a client past MAX_CONNECTIONS_PER_CLIENT with 429, and gives the slot back when a stream ends', async () => {
    server = await startServer({
      ...JWT_SERVER,
      MAX_CONNECTIONS_PER_CLIENT: '2',
      RETRY_MS: '1500',
    });
    const alice = bearer(await token({ sub: 'alice' }));
    const first = await open('symbols=AAPL', alice);
    await open('symbols=MSFT', alice);
    expect([first.status, registry().openFor('sub:alice')]).toEqual([200, 2]);
    const subscribers = server.bus.subscriberCount;
    await expect429('symbols=NVDA', alice, 'client');
    expect(server.bus.subscriberCount).toBe(subscribers);
    // Another subject has its own count, whatever address it comes from.
    const bob = await open('symbols=AAPL', bearer(await token({ sub: 'bob' })));
    expect(bob.status).toBe(200);

    first.close();
    await eventually(() => registry().openFor('sub:alice') === 1, 2_000, 'the slot to come back');
    expect((await open('symbols=NVDA', alice)).status).toBe(200);
  });

  it('counts per IP address without a token, and never holds a slot for a refused request', async () => {
    server = await startServer({ MAX_CONNECTIONS_PER_CLIENT: '1' });
    for (const query of ['symbols=NOPE', 'throttle=5', 'symbols=AAPL&unknown=1']) {
      expect((await ask(`${server.url}/api/stream?${query}`)).status).toBe(400);
    }
    expect(registry().size).toBe(0);
    expect((await open('symbols=AAPL')).status).toBe(200);
    await expect429('symbols=MSFT', {}, 'client');
  });

  it('refuses anyone past MAX_CONNECTIONS', async () => {
    server = await startServer({ ...JWT_SERVER, MAX_CONNECTIONS: '2' });
    for (const sub of ['a', 'b']) {
      expect((await open('symbols=AAPL', bearer(await token({ sub })))).status).toBe(200);
    }
    await expect429('symbols=AAPL', bearer(await token({ sub: 'c' })), 'process');
  });

  it('releases every slot and subscription when clients leave', async () => {
    server = await startServer({ MAX_CONNECTIONS_PER_CLIENT: '3' });
    const clients = ['AAPL', 'MSFT', 'NVDA'].map((symbol) => server.connect(`symbols=${symbol}`));
    await Promise.all(clients.map((client) => client.waitFor((c) => c.ticks().length > 0)));
    expect(registry().size).toBe(3);
    clients.forEach((client) => client.close());
    await eventually(() => registry().size === 0, 2_000, 'every slot back');
    expect(server.bus.subscriberCount).toBe(0);
  });
});

describe('REST rate limit', () => {
  it('answers 429 with Retry-After past REST_RATE_LIMIT, and leaves streams alone', async () => {
    const server = await startServer({ REST_RATE_LIMIT: '3', REST_RATE_WINDOW_MS: '60000' });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await ask(`${server.url}/api/symbols/AAPL`)).status).toBe(200);
      }
      const limited = await ask(`${server.url}/api/symbols`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ statusCode: 429, field: 'requests', value: 3 });
      for (let i = 0; i < 5; i++) {
        expect((await ask(`${server.url}/api/stream?symbols=AAPL`)).status).toBe(200);
      }
    } finally {
      await server.close();
    }
  });
});
