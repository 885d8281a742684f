import { OpenStreams } from '../src/stream/open-streams.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

// One IPv6 host holds a /64 at least, and a site a /56: counting its streams by full address
// would give it no limit at all. The stream limit counts an IPv6 client by its /56, as the REST
// limit does.

/** Six addresses of one /56 (2001:db8:0:0::/56), each in a /64 of its own. */
const ONE_SITE = [1, 2, 3, 4, 5, 6].map((n) => `2001:db8:0:${n}::1`);
const ANOTHER_SITE = '2001:db8:0:100::1';

describe('per-client limits of IPv6 clients', () => {
  let server: TestServer;
  let base: string;
  const streams: RawStream[] = [];
  /** A stream from `address`, as a proxy on ::1 that TRUST_PROXY names forwards it. */
  const open = async (address: string) => {
    const stream = await openRawStream(
      `${base}/api/stream?symbols=AAPL`,
      { 'X-Forwarded-For': address },
      '::1',
    );
    streams.push(stream);
    return stream.status;
  };

  beforeAll(async () => {
    server = await startServer({
      HOST: '::1',
      TRUST_PROXY: '::1',
      MAX_CONNECTIONS_PER_CLIENT: '3',
      REST_RATE_LIMIT: '3',
    });
    const address = server.app.getHttpServer().address();
    if (address === null || typeof address === 'string') {
      throw new Error('not listening on a TCP port');
    }
    base = `http://[::1]:${address.port}`;
  });

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await server.close();
  });

  it('counts the streams of every address of one /56 as one client', async () => {
    const statuses = [];
    for (const address of ONE_SITE) {
      statuses.push(await open(address));
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(await open(ANOTHER_SITE)).toBe(200);
    const registry = server.app.get(OpenStreams);
    expect(registry.openFor('ip:2001:db8::/56')).toBe(3);
    expect(registry.openFor('ip:2001:db8:0:100::/56')).toBe(1);
  });

  it('counts their REST requests the same way', async () => {
    const statuses = [];
    for (const address of ONE_SITE.slice(0, 4)) {
      const response = await fetch(`${base}/api/symbols`, {
        headers: { 'X-Forwarded-For': address },
      });
      await response.body?.cancel();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
