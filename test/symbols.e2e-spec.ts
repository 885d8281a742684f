import type { Candle, SymbolInfo } from '@tickstream/client/contract';
import { SseClient } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

describe('symbols and candles', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.close();
  });

  it('lists the universe with names and latest quotes', async () => {
    server = await startServer();
    const symbols = (await (await fetch(`${server.url}/api/symbols`)).json()) as SymbolInfo[];
    expect(symbols.length).toBeGreaterThanOrEqual(20);
    expect(symbols.map((info) => info.symbol)).toEqual(
      expect.arrayContaining(['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'TSLA', 'META', 'JPM']),
    );
    const apple = symbols.find((info) => info.symbol === 'AAPL');
    expect(apple?.name).toBe('Apple Inc.');
    expect(apple?.quote?.price).toBeGreaterThan(0);

    const one = (await (await fetch(`${server.url}/api/symbols/msft`)).json()) as SymbolInfo;
    expect(one).toMatchObject({ symbol: 'MSFT', name: 'Microsoft Corp.' });
  });

  it('serves SYMBOLS from the environment instead of the default universe', async () => {
    server = await startServer({ SYMBOLS: 'AAPL,ACME' });
    const symbols = (await (await fetch(`${server.url}/api/symbols`)).json()) as SymbolInfo[];
    expect(symbols.map((info) => info.symbol)).toEqual(['AAPL', 'ACME']);
    expect((await fetch(`${server.url}/api/stream?symbols=MSFT`)).status).toBe(400);
  });

  it('trades SYMBOLS in proportion to the activity given as SYMBOL:ACTIVITY', async () => {
    server = await startServer({ SYMBOLS: 'BUSY:99,quiet:1', TICKS_PER_SECOND: '2000' });
    const counts = new Map<string, number>();
    const subscription = server.ticks.subscribe((tick) =>
      counts.set(tick.quote.symbol, (counts.get(tick.quote.symbol) ?? 0) + 1),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    subscription.unsubscribe();
    const busy = counts.get('BUSY') ?? 0;
    const quiet = counts.get('QUIET') ?? 0;
    expect(busy).toBeGreaterThan(500);
    expect(quiet).toBeLessThan(busy / 20);
    const listed = (await (await fetch(`${server.url}/api/symbols`)).json()) as SymbolInfo[];
    expect(listed.map((info) => info.symbol)).toEqual(['BUSY', 'QUIET']);
  });

  it('answers 404 for an unknown symbol and 400 for a bad candle query', async () => {
    server = await startServer();
    const missing = await fetch(`${server.url}/api/symbols/NOPE`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ field: 'symbol', value: 'NOPE' });
    expect((await fetch(`${server.url}/api/symbols/NOPE/candles`)).status).toBe(404);
    const badInterval = await fetch(`${server.url}/api/symbols/AAPL/candles?interval=5h`);
    expect(badInterval.status).toBe(400);
    expect(await badInterval.json()).toMatchObject({ field: 'interval', value: '5h' });
    const badLimit = await fetch(`${server.url}/api/symbols/AAPL/candles?limit=0`);
    expect(await badLimit.json()).toMatchObject({ field: 'limit', value: '0' });
  });

  it('builds 1s candles that agree with the streamed ticks', async () => {
    server = await startServer({ TICKS_PER_SECOND: '3000' });
    const client = new SseClient(`${server.url}/api/stream?symbols=NVDA&snapshot=false`);
    try {
      const start = Math.floor(Date.now() / 1000);
      // Whole seconds strictly inside the observation: their bars saw only observed ticks.
      await client.waitFor(
        (c) => (c.ticks().at(-1)?.ts ?? 0) >= (start + 4) * 1000,
        10_000,
        'four seconds of ticks',
      );
      const candles = (await (
        await fetch(`${server.url}/api/symbols/NVDA/candles?interval=1s&limit=10`)
      ).json()) as Candle[];
      const ticks = client.ticks();
      const checked = [start + 1, start + 2, start + 3];
      for (const time of checked) {
        const inBar = ticks.filter((tick) => Math.floor(tick.ts / 1000) === time);
        expect(inBar.length).toBeGreaterThan(10);
        expect(candles.find((bar) => bar.time === time)).toEqual({
          time,
          open: inBar[0].price,
          high: Math.max(...inBar.map((tick) => tick.price)),
          low: Math.min(...inBar.map((tick) => tick.price)),
          close: inBar.at(-1)?.price,
          volume: inBar.reduce((sum, tick) => sum + tick.size, 0),
        });
      }
      const times = candles.map((bar) => bar.time);
      expect([...times].sort((a, b) => a - b)).toEqual(times);

      const minutes = (await (
        await fetch(`${server.url}/api/symbols/NVDA/candles?interval=1m`)
      ).json()) as Candle[];
      expect(minutes.length).toBeGreaterThanOrEqual(1);
      expect(
        minutes.every((bar) => bar.time % 60 === 0 && bar.low <= bar.open && bar.open <= bar.high),
      ).toBe(true);
    } finally {
      client.close();
    }
  });
});
