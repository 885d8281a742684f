import { RawConnection, requestHead } from './support/raw-connection.js';
import { startServer, type TestServer } from './support/test-server.js';

// Clients that send their requests slowly, over real sockets: each is answered 408 (or cut) once
// its time is up, and meanwhile the server serves everyone else, open streams included.

const TOKEN = 'ingest-token-for-slow-request-tests';
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
/** Node checks for late requests every second; the rest is room for a loaded machine. */
const GRACE_MS = 4_000;

describe('slow requests', () => {
  let server: TestServer;
  let port: number;
  const clients: RawConnection[] = [];

  beforeAll(async () => {
    server = await startServer({
      INGEST_TOKEN: TOKEN,
      HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
    port = Number(new URL(server.url).port);
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await server.close();
  });

  async function open(head: string): Promise<RawConnection> {
    const client = await RawConnection.open(port, head);
    clients.push(client);
    return client;
  }

  /** How long `client` lasts from `since`, and the answer it gets (408, or none when cut). */
  function outcome(client: RawConnection, since: number) {
    return client.closed.then(async () => ({
      lasted: Date.now() - since,
      status: (await client.reply)?.status,
    }));
  }

  it('answers 20 bodies sent a byte every 2 s with 408 within the bound, serving others meanwhile', async () => {
    const since = Date.now();
    const slow = await Promise.all(
      Array.from({ length: 20 }, () =>
        open(
          requestHead('POST', '/api/ticks', [
            ['Authorization', `Bearer ${TOKEN}`],
            ['Content-Type', 'application/json'],
            ['Content-Length', '1000'],
          ]),
        ),
      ),
    );
    slow.forEach((client) => void client.sendEach(Array<string>(1_000).fill('['), 2_000));
    const outcomes = slow.map((client) => outcome(client, since));
    const stream = server.connect('symbols=AAPL,MSFT');
    await stream.waitFor((c) => c.ticks().length >= 50, 5_000, 'ticks while the slow clients wait');
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/symbols/AAPL`)).status).toBe(200);
    for (const { lasted, status } of await Promise.all(outcomes)) {
      expect(lasted).toBeLessThan(REQUEST_TIMEOUT_MS + GRACE_MS);
      expect([408, undefined]).toContain(status);
    }
    stream.close();
  });

  it('answers a head sent a line every half second with 408 within the bound', async () => {
    const since = Date.now();
    const client = await open('GET /api/symbols HTTP/1.1\r\n');
    void client.sendEach(
      Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: 1\r\n`),
      500,
    );
    const { lasted, status } = await outcome(client, since);
    expect(lasted).toBeLessThan(HEADERS_TIMEOUT_MS + GRACE_MS);
    expect([408, undefined]).toContain(status);
  });

  it('closes a connection that sends nothing within the bound', async () => {
    const since = Date.now();
    const { lasted } = await outcome(await open(''), since);
    expect(lasted).toBeLessThan(HEADERS_TIMEOUT_MS + GRACE_MS);
  });

  it('does not cut an open stream, which lasts far beyond the request timeout', async () => {
    const stream = server.connect('symbols=AAPL');
    await stream.waitFor((c) => c.ticks().length > 0, 5_000, 'the first tick');
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + GRACE_MS));
    const before = stream.ticks().length;
    await stream.waitFor((c) => c.ticks().length > before + 10, 5_000, 'ticks after the timeout');
    expect(stream.errors).toEqual([]);
    expect(stream.of('snapshot')).toHaveLength(1);
    stream.close();
  });
});
