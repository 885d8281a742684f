import type { Quote, SnapshotData } from '@tickstream/client/contract';
import { StallingStream } from './support/stalling-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

const SYMBOL_COUNT = 1200;
/** Tickers AAAA, AAAB, ...: as many as asked. */
const SYMBOLS = Array.from({ length: SYMBOL_COUNT }, (_, n) =>
  [17576, 676, 26, 1].map((unit) => String.fromCharCode(65 + (Math.floor(n / unit) % 26))).join(''),
);

describe('The snapshot of every symbol', () => {
  let server: TestServer;

  afterEach(() => server.close());

  it('comes in pages of at most 250 quotes, only the last with the snapshot id, every quote once', async () => {
    server = await startServer({ FEED: 'none', SYMBOLS: SYMBOLS.join(',') });
    const quotes: Quote[] = SYMBOLS.map((symbol, n) => {
      const price = 100 + n / 100;
      return {
        symbol,
        price,
        bid: price,
        ask: price + 0.01,
        kind: 'trade',
        size: 1,
        bidSize: 100,
        askSize: 100,
        ts: Date.now(),
      };
    });
    const ticks = await server.bus.publishAll(quotes);
    const head = ticks[ticks.length - 1].id;

    const stream = await StallingStream.open(`${server.url}/api/stream?symbols=*`);
    const snapshots = () => stream.frames.filter((frame) => frame.type === 'snapshot');
    await stream.waitFor(() => snapshots().some((frame) => frame.id !== undefined));
    // A tick after the snapshot goes out after its last page.
    const after = await server.publish(SYMBOLS[0], 1);
    await stream.waitFor((s) => s.ticks().length === 1);
    stream.close();

    const pages = snapshots();
    expect(pages).toHaveLength(Math.ceil(SYMBOL_COUNT / 250));
    expect(pages.map((page) => page.id)).toEqual([...pages.slice(1).map(() => undefined), head]);
    const got = pages.flatMap((page) => (JSON.parse(page.data) as SnapshotData).quotes);
    pages.forEach((page) => {
      expect((JSON.parse(page.data) as SnapshotData).quotes.length).toBeLessThanOrEqual(250);
    });
    expect(got.map((quote) => quote.symbol).sort()).toEqual([...SYMBOLS].sort());
    expect(got.map(({ symbol, price }) => ({ symbol, price }))).toEqual(
      expect.arrayContaining(quotes.map(({ symbol, price }) => ({ symbol, price }))),
    );
    const types = stream.frames.map((frame) => frame.type);
    expect(types.lastIndexOf('snapshot')).toBeLessThan(types.indexOf('tick'));
    expect(stream.ticks()[0].id).toBe(after.id);
  });
});
