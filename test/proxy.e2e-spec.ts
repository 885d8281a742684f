import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { Http2Client } from './support/http2-client.js';
import { startNginx, type LocalNginx } from './support/nginx.js';
import { rawGet } from './support/raw-request.js';
import { eventually, sleep, SseClient } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

/**
 * nginx's read timeout in these tests: it stands in for nginx's default of 60 s, which the
 * production configuration keeps, so that a quiet period longer than it takes seconds, not
 * minutes. The control stream below shows that it cuts a stream that nothing keeps alive.
 */
const READ_TIMEOUT_MS = 2_000;
const QUIET_MS = 3 * READ_TIMEOUT_MS;

/** Headers that HTTP/2 forbids (RFC 9113, 8.2.2); browsers reject an HTTP/2 answer with one. */
const CONNECTION_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade'];
const FORBIDDEN = [...CONNECTION_HEADERS, 'proxy-connection'];

/** The routes a browser or a client reaches, each of a different kind. */
const ROUTES = [
  '/',
  '/main.js',
  '/api/symbols',
  '/api/symbols/AAPL/candles?interval=1s&limit=5',
  '/api/symbols/NOPE',
  '/health/ready',
  '/docs',
];
const STREAM = '/api/stream?symbols=AAPL';

/** The forbidden headers among `headers`; Node's own `Connection: close` ends an HTTP/1.0 answer. */
const forbiddenIn = (headers: Record<string, unknown>) =>
  FORBIDDEN.filter(
    (name) => headers[name] !== undefined && !(name === 'connection' && headers[name] === 'close'),
  );

describe('streams through nginx', () => {
  let server: TestServer;
  let nginx: LocalNginx;
  const h2: Http2Client[] = [];
  const clients: SseClient[] = [];
  const throughNginx = (proxy: LocalNginx, query: string) => {
    const connection = new Http2Client(proxy.url, proxy.ca);
    h2.push(connection);
    // As a browser asks: compressed if the proxy will.
    const client = new SseClient(`${proxy.url}/api/stream?${query}`, {
      fetch: connection.fetch,
      headers: { 'Accept-Encoding': 'gzip, deflate' },
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startServer({ FEED: 'none', HEARTBEAT_MS: '500', TRUST_PROXY: '127.0.0.1' });
    nginx = await startNginx([server.url], { streamReadTimeout: `${READ_TIMEOUT_MS}ms` });
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    h2.forEach((connection) => connection.close());
    await nginx?.close();
    await server?.close();
  });

  it('stay open across a quiet period longer than the read timeout, kept alive by heartbeats', async () => {
    // The control: an instance whose heartbeats are an hour apart, behind the same configuration.
    const silent = await startServer({
      FEED: 'none',
      HEARTBEAT_MS: '3600000',
      TRUST_PROXY: '127.0.0.1',
    });
    const silentNginx = await startNginx([silent.url], {
      streamReadTimeout: `${READ_TIMEOUT_MS}ms`,
    });
    try {
      const kept = throughNginx(nginx, 'symbols=AAPL');
      const cut = throughNginx(silentNginx, 'symbols=AAPL');
      await Promise.all([kept, cut].map((c) => c.waitFor((x) => x.of('snapshot').length === 1)));
      // nginx's read timer starts before the snapshot gets here.
      const openedAt = cut.of('snapshot')[0].receivedAt;
      await eventually(() => cut.errors.length > 0, QUIET_MS, 'nginx to cut the silent stream');
      const cutAfter = Date.now() - openedAt;
      expect(cutAfter).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 200);
      await sleep(QUIET_MS - cutAfter);

      // Nothing but heartbeats for three read timeouts: the stream is still the same one.
      expect(kept.errors).toEqual([]);
      const tick = await server.publish('AAPL', 123.45);
      await kept.waitFor((c) => c.lastEventId === tick.id, 2_000, 'the tick after the quiet');
      expect(kept.errors).toEqual([]);
      expect(kept.of('snapshot')).toHaveLength(1);
    } finally {
      await silentNginx.close();
      await silent.close();
    }
  });

  it('pass every frame on as it comes: as soon as a direct stream gets it', async () => {
    const direct = server.connect('symbols=MSFT');
    const proxied = throughNginx(nginx, 'symbols=MSFT');
    await Promise.all(
      [direct, proxied].map((c) => c.waitFor((x) => x.of('snapshot').length === 1)),
    );
    // Small frames, far apart: a proxy that buffered or compressed would hold them back.
    for (let i = 0; i < 10; i++) {
      await server.publish('MSFT', 400 + i);
      await sleep(150);
    }
    await proxied.waitFor((c) => c.ticks().length === 10, 2_000, 'ten ticks through nginx');
    const sentAt = new Map(direct.ticks().map((tick) => [tick.id, tick.receivedAt]));
    const lags = proxied.ticks().map((tick) => tick.receivedAt - (sentAt.get(tick.id) ?? NaN));
    expect(lags).toHaveLength(10);
    // A frame held until the next one came would be 150 ms late.
    expect(Math.max(...lags)).toBeLessThan(100);
  });
});

describe('headers that HTTP/2 forbids', () => {
  let server: TestServer;
  let nginx: LocalNginx;
  let h2: Http2Client;

  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '127.0.0.1' });
    nginx = await startNginx([server.url]);
    h2 = new Http2Client(nginx.url, nginx.ca);
  });

  afterAll(async () => {
    h2?.close();
    await nginx?.close();
    await server?.close();
  });

  const port = () => Number(new URL(server.url).port);

  it('are not sent by the service on any route but the stream', async () => {
    for (const route of ROUTES) {
      const { headers } = await rawGet(port(), route, [], { version: '1.0' });
      expect({ route, forbidden: forbiddenIn(headers) }).toEqual({ route, forbidden: [] });
    }
  });

  it('are not sent by the service on the stream', async () => {
    const { status, headers } = await rawGet(port(), STREAM, [], { version: '1.0' });
    expect(status).toBe(200);
    expect(forbiddenIn(headers)).toEqual([]);
  });

  it('reach no client through nginx over HTTP/2, and HTTP/1.1 still works there', async () => {
    for (const route of [...ROUTES, STREAM]) {
      const controller = new AbortController();
      const { status, headers, body } = await h2.get(route, { signal: controller.signal });
      controller.abort();
      await body.cancel().catch(() => undefined);
      expect({ route, status, forbidden: forbiddenIn(headers) }).toEqual({
        route,
        status: route === '/api/symbols/NOPE' ? 404 : 200,
        forbidden: [],
      });
    }
    const old = await new Promise<{ version: string; headers: IncomingHttpHeaders }>(
      (resolve, reject) => {
        const req = httpsRequest(`${nginx.url}/api/symbols`, { ca: nginx.ca }, (res) => {
          res.resume();
          resolve({ version: res.httpVersion, headers: res.headers });
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(old.version).toBe('1.1');
    expect(old.headers['content-type']).toMatch(/^application\/json/);
  });
});
