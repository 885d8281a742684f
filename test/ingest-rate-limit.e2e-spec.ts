import { request } from 'node:http';
import { startServer, type TestServer } from './support/test-server.js';

// A feed's token, not its address, is what ingestion and status posts are limited by: a feed
// may post from many addresses, and many feeds from one.

const INGEST_TOKEN = 'the-ingest-token-of-the-rate-tests';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: unknown;
}

/** A POST of `body` from `localAddress` with `token`. */
function post(
  url: string,
  body: unknown,
  localAddress: string,
  token = INGEST_TOKEN,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter, body: JSON.parse(text) as unknown });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('per-token rate limits of POST /api/ticks and POST /api/status', () => {
  let server: TestServer;
  const ticks = (from: string, token?: string) =>
    post(`${server.url}/api/ticks`, [{ symbol: 'AAPL', price: 228 }], from, token);
  const status = (from: string) =>
    post(`${server.url}/api/status`, { symbol: 'AAPL', state: 'open' }, from);

  beforeAll(async () => {
    server = await startServer({
      INGEST_TOKEN,
      FEED: 'none',
      INGEST_RATE_LIMIT: '3',
      STATUS_RATE_LIMIT: '2',
      INGEST_RATE_WINDOW_MS: '60000',
    });
  });

  afterAll(() => server.close());

  it('refuses a token past its limit with 429, Retry-After and a JSON body, from any address, and publishes nothing', async () => {
    // Refused tokens are not the token's requests: they count for nothing.
    expect((await ticks('127.0.0.2', 'another-token-long-enough')).status).toBe(401);
    const answers = [await ticks('127.0.0.2'), await ticks('127.0.0.3'), await ticks('127.0.0.4')];
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    const published = server.bus.snapshot(['AAPL']);
    const limited = await ticks('127.0.0.5');
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({
      statusCode: 429,
      field: 'requests',
      value: 3,
    });
    expect((await server.bus.snapshot(['AAPL'])).head).toBe((await published).head);
  });

  it('limits status posts on their own', async () => {
    const answers = [await status('127.0.0.6'), await status('127.0.0.7')];
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    const limited = await status('127.0.0.8');
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429, field: 'requests', value: 2 });
  });
});
