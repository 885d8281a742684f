import { startServer, type TestServer } from './support/test-server.js';

// A refusal names the field and the value sent, but never repeats more of the request than a
// few hundred characters, whatever the client sent: a body that echoed its input would let a
// client make the server write (and a log keep) as much as it likes.

const TOKEN = 'ingest-token-for-echo-tests-0123456';
/** Far above any bounded answer, far below the inputs sent. */
const MAX_ANSWER = 2_000;
const LONG = 'A'.repeat(5_000);

interface Answer {
  status: number;
  text: string;
  body: { statusCode: number; message: string; field?: string; value?: unknown };
}

describe('what a refusal repeats of what was sent', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      FEED: 'none',
      INGEST_TOKEN: TOKEN,
      INGEST_MAX_BYTES: '1000000',
    });
  });

  afterAll(async () => {
    await server.close();
  });

  async function get(path: string): Promise<Answer> {
    const controller = new AbortController();
    const response = await fetch(`${server.url}${path}`, { signal: controller.signal });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
  }

  async function post(body: string, type = 'application/json'): Promise<Answer> {
    const response = await fetch(`${server.url}/api/ticks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': type },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
  }

  function expectBounded(answer: Answer, status: number, field?: string): void {
    expect(answer.status).toBe(status);
    expect(answer.text.length).toBeLessThan(MAX_ANSWER);
    expect(answer.body.statusCode).toBe(status);
    if (field !== undefined) {
      expect(answer.body.field).toBe(field);
    }
  }

  it('cuts a long value and message to their first 200 characters', async () => {
    const answer = await get(`/api/symbols/${LONG}`);
    expectBounded(answer, 404, 'symbol');
    expect(answer.body.value).toBe(`${'A'.repeat(200)}…`);
    expect(answer.body.message.length).toBeLessThanOrEqual(201);
  });

  it('repeats at most 10 values of a parameter given many times', async () => {
    const answer = await get(`/api/symbols/AAPL/candles?${'limit=x&'.repeat(2_000)}`);
    expectBounded(answer, 400, 'limit');
    expect(answer.body.value).toEqual([...Array<string>(10).fill('x'), '…']);
  });

  it('bounds the symbol list of a stream request', async () => {
    const answer = await get(`/api/stream?symbols=AAPL,,${'MSFT,'.repeat(2_000)}`);
    expectBounded(answer, 400, 'symbols');
    expect(answer.body.value).toBe(`${`AAPL,,${'MSFT,'.repeat(50)}`.slice(0, 200)}…`);
  });

  it("bounds the framework's own refusals: an unknown route, a path that does not decode", async () => {
    expectBounded(await get(`/api/${LONG}`), 404);
    expectBounded(await get(`/api/symbols/${LONG}%E0%A4%A`), 400);
  });

  it('answers a body nested 5,000 deep with 400 naming where, not 500', async () => {
    const deep = (open: string, close: string, inner = '1') =>
      `${open.repeat(5_000)}${inner}${close.repeat(5_000)}`;
    const cases: [string, string, string][] = [
      ['[0]', deep('[', ']'), 'application/json'],
      ['[0].price', `[{"symbol":"AAPL","price":${deep('{"a":', '}')}}]`, 'application/json'],
      ['[0].price', `[{"symbol":"AAPL","price":${deep('[', ']')}}]`, 'application/json'],
      [
        '[1].bid',
        `{"symbol":"AAPL","price":1}\n{"symbol":"AAPL","price":1,"bid":${deep('[', ']')}}`,
        'application/x-ndjson',
      ],
    ];
    for (const [field, body, type] of cases) {
      const answer = await post(body, type);
      expectBounded(answer, 400, field);
    }
  });

  it('bounds a field name the client made up, and a line of NDJSON that is not JSON', async () => {
    const unknownField = await post(`[{"symbol":"AAPL","price":1,"${LONG}":1}]`);
    expectBounded(unknownField, 400);
    expect(unknownField.body.field).toBe(`${`[0].${LONG}`.slice(0, 200)}…`);
    expectBounded(await post(`{${LONG}`, 'application/x-ndjson'), 400, '[0]');
    expectBounded(await post(`[${LONG}`), 400, 'body');
    const list = await post(JSON.stringify(Array.from({ length: 1_000 }, (_, i) => i)));
    expectBounded(list, 400, '[0]');
  });

  it('repeats the first entries of an object or list sent where a tick belongs, and no deeper', async () => {
    const answer = await post(
      JSON.stringify({
        symbol: 'AAPL',
        price: [1, 2],
        ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
      }),
    );
    expectBounded(answer, 400, 'body');
    expect(answer.body.value).toEqual({
      symbol: 'AAPL',
      price: '…',
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, i])),
      '…': '…',
    });
  });

  it('keeps serving', async () => {
    expect((await fetch(`${server.url}/api/symbols/AAPL`)).status).toBe(200);
  });
});
