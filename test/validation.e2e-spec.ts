import { startServer, type TestServer } from './support/test-server.js';

interface ErrorBody {
  statusCode: number;
  message: string;
  field: string;
  value: unknown;
}

const anHourAhead = String(Date.now() + 3_600_000);

describe('bad stream requests', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ MAX_SYMBOLS_PER_STREAM: '3' });
  });

  afterAll(async () => {
    await server.close();
  });

  const cases: [string, string, string, unknown][] = [
    ['missing symbols', '', 'symbols', null],
    ['empty symbols', 'symbols=', 'symbols', ''],
    ['an unknown symbol', 'symbols=AAPL,NOPE', 'symbols', 'NOPE'],
    ['an empty entry', 'symbols=AAPL,,MSFT', 'symbols', 'AAPL,,MSFT'],
    ['too many symbols', 'symbols=AAPL,MSFT,NVDA,TSLA', 'symbols', 'AAPL,MSFT,NVDA,TSLA'],
    ['symbols given twice', 'symbols=AAPL&symbols=MSFT', 'symbols', ['AAPL', 'MSFT']],
    ['a non-numeric throttle', 'symbols=AAPL&throttle=fast', 'throttle', 'fast'],
    ['a negative throttle', 'symbols=AAPL&throttle=-1', 'throttle', '-1'],
    ['a fractional throttle', 'symbols=AAPL&throttle=1.5', 'throttle', '1.5'],
    ['a throttle above 60000', 'symbols=AAPL&throttle=60001', 'throttle', '60001'],
    ['a bad snapshot flag', 'symbols=AAPL&snapshot=maybe', 'snapshot', 'maybe'],
    ['a bad live flag', 'symbols=AAPL&live=no', 'live', 'no'],
    ['an unreadable since', 'symbols=AAPL&since=yesterday', 'since', 'yesterday'],
    [
      'a since without its offset',
      'symbols=AAPL&since=2026-12-07T14:30:00',
      'since',
      '2026-12-07T14:30:00',
    ],
    ['a since an hour ahead', `symbols=AAPL&since=${anHourAhead}`, 'since', anHourAhead],
    ['an unknown resume symbol', 'symbols=AAPL&resumeSymbols=AAPL,NOPE', 'resumeSymbols', 'NOPE'],
    ['empty resume symbols', 'symbols=AAPL&resumeSymbols=', 'resumeSymbols', ''],
    ['an unknown parameter', 'symbols=AAPL&throtle=5', 'throtle', '5'],
    ['a parameter named like a prototype member', 'symbols=AAPL&constructor=x', 'constructor', 'x'],
    ['a __proto__ parameter', 'symbols=AAPL&__proto__=x', '__proto__', 'x'],
  ];

  it.each(cases)(
    'answers %s with 400 naming the field and value, before any stream',
    async (_, query, field, value) => {
      const response = await fetch(`${server.url}/api/stream?${query}`, {
        headers: { Accept: 'text/event-stream' },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as ErrorBody;
      expect(body).toMatchObject({ statusCode: 400, field, value });
      expect(body.message).toMatch(new RegExp(`^${field}: `));
      expect(server.bus.subscriberCount).toBe(0);
    },
  );

  it('accepts the edges of the valid ranges, in any letter case', async () => {
    for (const query of [
      'symbols=aapl,Msft,NVDA&throttle=0',
      'symbols=AAPL&throttle=60000&snapshot=false',
    ]) {
      const controller = new AbortController();
      const response = await fetch(`${server.url}/api/stream?${query}`, {
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      controller.abort();
    }
  });

  it('keeps serving after bad requests', async () => {
    const response = await fetch(`${server.url}/api/symbols/AAPL`);
    expect(response.status).toBe(200);
  });
});
