import type { Tick } from '../src/bus/tick.js';
import type { Quote } from '@tickstream/client/contract';
import { openRawStream } from './support/raw-stream.js';
import { eventually, sleep, type SseClient } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

describe('GET /api/stream', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('speaks the protocol on the wire: headers, retry first, snapshot, then ticks with ids', async () => {
    server = await startServer({ RETRY_MS: '1500' });
    const raw = await openRawStream(`${server.url}/api/stream?symbols=aapl,MSFT&throttle=0`);
    try {
      expect(raw.status).toBe(200);
      expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(raw.headers['cache-control']).toMatch(/no-cache/);
      expect(raw.headers['cache-control']).toMatch(/no-transform/);
      expect(raw.headers['x-accel-buffering']).toBe('no');
      expect(raw.headers['content-encoding']).toBeUndefined();
      await raw.waitForText(/event: tick\nid: \S+\ndata: .*\n\n(?:.|\n)*event: tick/);
      const frames = raw.text().trim().split('\n\n');
      expect(frames[0]).toMatch(/^event: snapshot\nid: \d+-\d+\nretry: 1500\ndata: \{"quotes":\[/);
      const snapshot = JSON.parse(frames[0].split('data: ')[1]) as { quotes: Quote[] };
      expect(snapshot.quotes.map((quote) => quote.symbol)).toEqual(['AAPL', 'MSFT']);
      const tick = frames[1].split('\n');
      expect(tick[0]).toBe('event: tick');
      expect(tick[1]).toMatch(/^id: \d+-\d+$/);
      const data = JSON.parse(tick[2].replace(/^data: /, '')) as Quote;
      // The fields of old, with the kind and the book's sizes added among them.
      expect(Object.keys(data)).toEqual([
        'symbol',
        'kind',
        'price',
        'bid',
        'ask',
        'size',
        'bidSize',
        'askSize',
        'ts',
      ]);
      expect(data.bid).toBeLessThanOrEqual(data.ask);
    } finally {
      raw.close();
    }
  });

  it('sends only the subscribed symbols, every one of their ticks, in order, across 1000+ ticks', async () => {
    server = await startServer({ TICKS_PER_SECOND: '5000' });
    const published: Tick[] = [];
    const recording = server.ticks.subscribe((tick) => published.push(tick));
    const client = server.connect('symbols=AAPL,MSFT');
    await client.waitFor((c) => c.ticks().length >= 1000, 15_000, '1000 ticks');
    recording.unsubscribe();

    const received = client.ticks();
    expect(new Set(received.map((tick) => tick.symbol))).toEqual(new Set(['AAPL', 'MSFT']));
    const first = published.findIndex((tick) => tick.id === received[0].id);
    const last = published.findIndex((tick) => tick.id === received.at(-1)?.id);
    expect(first).toBeGreaterThanOrEqual(0);
    const expected = published
      .slice(first, last + 1)
      .filter((tick) => tick.quote.symbol === 'AAPL' || tick.quote.symbol === 'MSFT');
    expect(received.map((tick) => tick.id)).toEqual(expected.map((tick) => tick.id));
    expect(
      received.map(({ symbol, kind, price, bid, ask, size, bidSize, askSize, ts }) => ({
        symbol,
        kind,
        price,
        bid,
        ask,
        size,
        bidSize,
        askSize,
        ts,
      })),
    ).toEqual(expected.map((tick) => tick.quote));
    // The other symbols traded far more in that time than the two subscribed.
    expect(published.length).toBeGreaterThan(3 * received.length);
  });

  it('throttles per symbol, and the last tick of a burst always arrives', async () => {
    server = await startServer({ FEED: 'none' });
    const client = server.connect('symbols=AAPL,MSFT&throttle=200');
    await client.waitFor((c) => c.of('snapshot').length === 1);
    const burstStart = Date.now();
    let lastPublishedAt = 0;
    for (let i = 1; i <= 40; i++) {
      for (const symbol of ['AAPL', 'MSFT']) {
        lastPublishedAt = Date.now();
        await server.bus.publish({
          symbol,
          kind: 'trade',
          price: i,
          bid: i,
          ask: i + 0.01,
          size: 100,
          bidSize: 100,
          askSize: 100,
          ts: lastPublishedAt,
        });
      }
      await sleep(15);
    }
    await client.waitFor(
      (c) => c.lastPrice('AAPL') === 40 && c.lastPrice('MSFT') === 40,
      2_000,
      'the burst end',
    );

    for (const symbol of ['AAPL', 'MSFT']) {
      const ticks = client.ticks().filter((tick) => tick.symbol === symbol);
      const burstMs = lastPublishedAt - burstStart;
      // One at the start, then at most one per window.
      expect(ticks.length).toBeLessThanOrEqual(Math.ceil(burstMs / 200) + 2);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < ticks.length; i++) {
        expect(ticks[i].receivedAt - ticks[i - 1].receivedAt).toBeGreaterThanOrEqual(150);
        expect(ticks[i].price).toBeGreaterThan(ticks[i - 1].price);
      }
      // The final price comes within a window of the burst's end, not a window later.
      expect((ticks.at(-1)?.receivedAt ?? Infinity) - lastPublishedAt).toBeLessThan(200 + 300);
    }
    const ids = client.ticks().map((tick) => tick.id);
    expect([...ids].sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]))).toEqual(ids);
  });

  it('sends a tick in a quiet period at once', async () => {
    server = await startServer({ FEED: 'none' });
    const client = server.connect('symbols=AAPL&throttle=5000');
    await client.waitFor((c) => c.of('snapshot').length === 1);
    const sentAt = Date.now();
    await server.bus.publish({
      symbol: 'AAPL',
      price: 1,
      bid: 1,
      ask: 1.01,
      kind: 'trade',
      size: 1,
      bidSize: 100,
      askSize: 100,
      ts: sentAt,
    });
    await client.waitFor((c) => c.ticks().length === 1, 1_000, 'the tick');
    expect((client.ticks()[0]?.receivedAt ?? Infinity) - sentAt).toBeLessThan(500);
  });

  it('skips the snapshot with snapshot=false', async () => {
    server = await startServer();
    const client = server.connect('symbols=NVDA&snapshot=false');
    await client.waitFor((c) => c.ticks().length >= 3);
    expect(client.events.every((event) => event.type === 'tick')).toBe(true);
  });

  it('sends heartbeat comments on a quiet stream', async () => {
    server = await startServer({ FEED: 'none', HEARTBEAT_MS: '100' });
    const raw = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    try {
      await raw.waitForText(/(: heartbeat\n\n(?:.|\n)*){2}/, 3_000);
      expect(raw.text()).not.toContain('event: tick');
    } finally {
      raw.close();
    }
  });

  it('sends a heartbeat every HEARTBEAT_MS while a stream is quiet, not every other one', async () => {
    server = await startServer({ FEED: 'none', HEARTBEAT_MS: '100' });
    const raw = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    const heartbeats = () => raw.text().split(': heartbeat\n\n').length - 1;
    try {
      await raw.waitForText(/: heartbeat\n\n/, 3_000);
      const before = heartbeats();
      await sleep(1_000);
      // Ten periods: ten heartbeats, five if the last heartbeat counted as something written.
      expect(heartbeats() - before).toBeGreaterThanOrEqual(8);
    } finally {
      raw.close();
    }
  });

  it('ends every subscription when clients disconnect', async () => {
    server = await startServer();
    const streams = Array.from({ length: 20 }, (_, i) =>
      server.connect(`symbols=AAPL,MSFT,NVDA&throttle=${i * 10}`),
    );
    await Promise.all(
      streams.map((client) => client.waitFor((c) => c.of('snapshot').length === 1)),
    );
    expect(server.bus.subscriberCount).toBe(60);
    streams.forEach((client) => client.close());
    await eventually(
      () => server.bus.subscriberCount === 0,
      5_000,
      'subscriber count to return to 0',
    );
  });

  it('serves 200 concurrent streams without an error', async () => {
    // All from one address: above the default per-client limit.
    server = await startServer({ MAX_CONNECTIONS_PER_CLIENT: '0' });
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'];
    const streams: SseClient[] = [];
    // Opened in waves, as clients arrive in practice; all 200 stay open together.
    for (let wave = 0; wave < 4; wave++) {
      const opened = Array.from({ length: 50 }, (_, j) => {
        const i = wave * 50 + j;
        return server.connect(
          `symbols=${symbols[i % 5]},${symbols[(i + 1) % 5]}&throttle=${(i % 4) * 100}`,
        );
      });
      await Promise.all(
        opened.map((client) => client.waitFor((c) => c.of('snapshot').length === 1)),
      );
      streams.push(...opened);
    }
    await Promise.all(
      streams.map((client) =>
        client.waitFor((c) => c.ticks().length >= 2, 20_000, 'ticks on every stream'),
      ),
    );
    expect(streams.flatMap((client) => client.errors)).toEqual([]);
    // The 50 unthrottled streams share one bus subscription per symbol; the 150 throttled ones
    // one per symbol, throttle and grid: throttles of 100, 200 and 300 ms spread their windows
    // over 5, 10 and 15 grids (see Conflations), which the streams are dealt to in turn.
    expect(server.bus.subscriberCount).toBeGreaterThanOrEqual(symbols.length * 4);
    expect(server.bus.subscriberCount).toBeLessThanOrEqual(symbols.length * (1 + 5 + 10 + 15));
  });
});
