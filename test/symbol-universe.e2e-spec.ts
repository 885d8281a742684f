import { DEFAULT_UNIVERSE } from '../src/market-data/symbol-universe.js';
import { startServer, type TestServer } from './support/test-server.js';

// With ALLOW_NEW_SYMBOLS=true every new symbol ingested costs every instance memory for as long
// as it runs (~3 KB each: its bars, quote and state): MAX_SYMBOLS bounds how many there are.

const TOKEN = 'an-ingest-token-for-the-universe';
const MAX = DEFAULT_UNIVERSE.length + 2;

const post = (server: TestServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

describe('MAX_SYMBOLS', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      FEED: 'none',
      INGEST_TOKEN: TOKEN,
      ALLOW_NEW_SYMBOLS: 'true',
      MAX_SYMBOLS: String(MAX),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('lets new symbols in up to the bound, then refuses a new one naming it, the batch whole', async () => {
    expect((await post(server, '/api/ticks', [{ symbol: 'NEWA', price: 1 }])).status).toBe(202);
    expect((await post(server, '/api/status', { symbol: 'NEWB', state: 'open' })).status).toBe(202);
    const refused = await post(server, '/api/ticks', [
      { symbol: 'AAPL', price: 2 },
      { symbol: 'newa', price: 2 },
      { symbol: 'newc', price: 2 },
    ]);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      field: '[2].symbol',
      value: 'NEWC',
      message: expect.stringContaining(`MAX_SYMBOLS=${MAX}`) as string,
    });
    expect((await fetch(`${server.url}/api/symbols/AAPL`)).status).toBe(200);
    const aapl = (await (await fetch(`${server.url}/api/symbols/AAPL`)).json()) as {
      quote?: { price: number };
    };
    expect(aapl.quote?.price).not.toBe(2);
    const status = await post(server, '/api/status', { symbol: 'NEWD', state: 'halted' });
    expect(status.status).toBe(409);
    expect(await status.json()).toMatchObject({ field: 'symbol', value: 'NEWD' });
    // Those it holds go on.
    expect((await post(server, '/api/ticks', [{ symbol: 'NEWB', price: 3 }])).status).toBe(202);
  });
});
