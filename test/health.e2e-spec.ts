import { OwnRedis, uniquePrefix } from './support/redis.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

async function status(server: TestServer, path: string): Promise<number> {
  const response = await fetch(`${server.url}${path}`);
  await response.body?.cancel();
  return response.status;
}

describe('health', () => {
  let server: TestServer | undefined;
  let redis: OwnRedis | undefined;

  afterEach(async () => {
    await server?.close();
    await redis?.kill();
    server = redis = undefined;
  });

  it('is live and ready on the memory bus, with no external service', async () => {
    server = await startServer();
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-cache/);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      details: { bus: { status: 'up', kind: 'memory' } },
    });
    expect(await status(server, '/health/live')).toBe(200);
  });

  it('starts without Redis, live but not ready, and turns ready once Redis comes', async () => {
    redis = await OwnRedis.onFreePort();
    server = await startServer({
      BUS: 'redis',
      REDIS_URL: redis.url,
      REDIS_PREFIX: uniquePrefix('health'),
    });
    expect(await status(server, '/health/live')).toBe(200);
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'error',
      error: { bus: { status: 'down', kind: 'redis' } },
    });

    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await status(server, '/health/ready')) !== 200) {
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(50);
    }
    const symbols = await fetch(`${server.url}/api/symbols/AAPL`);
    expect(symbols.status).toBe(200);
  });
});
