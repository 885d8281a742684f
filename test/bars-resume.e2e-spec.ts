import { setTimeout as sleep } from 'node:timers/promises';
import { compareEventIds, type BarData, type Quote } from '@tickstream/client/contract';
import { BarBook } from '../src/market-data/bars/bar-book.service.js';
import { toBarUpdate } from '../src/market-data/bars/bar-update.js';
import { StallingStream } from './support/stalling-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

const SYMBOL_COUNT = 1500;
const SECONDS = 4;
/** Tickers AAAA, AAAB, ...: as many as asked. */
const SYMBOLS = Array.from({ length: SYMBOL_COUNT }, (_, n) =>
  [17576, 676, 26, 1].map((unit) => String.fromCharCode(65 + (Math.floor(n / unit) % 26))).join(''),
);

const barKey = ({ symbol, interval, time }: BarData): string => `${symbol} ${interval} ${time}`;

/** A server of SYMBOLS, each ticking once a second for SECONDS; the id before the first tick. */
async function tickingMarket(): Promise<{ server: TestServer; from: string }> {
  const server = await startServer({
    FEED: 'none',
    SYMBOLS: SYMBOLS.join(','),
    // The stalled client below is not a slow client to cut: the catch-up waits for it.
    SLOW_CLIENT_MAX_MS: '60000',
    SLOW_CLIENT_MAX_BYTES: String(1 << 30),
  });
  const from = (await server.publish(SYMBOLS[0], 100)).id;
  // Every symbol ticks in each of a few seconds: a 1s bar per symbol per second changes.
  for (let second = 0; second < SECONDS; second++) {
    const quotes: Quote[] = SYMBOLS.map((symbol, n) => {
      const price = 100 + second + n / 1000;
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
    await server.bus.publishAll(quotes);
    await sleep(1000 - (Date.now() % 1000) + 5);
  }
  return { server, from };
}

/** Each bar's last state among the frames a stream got. */
function latestBars(stream: StallingStream): Map<string, BarData> {
  const latest = new Map<string, BarData>();
  for (const frame of stream.frames.filter((each) => each.type === 'bar')) {
    const bar = JSON.parse(frame.data) as BarData;
    latest.set(barKey(bar), bar);
  }
  return latest;
}

/** The bars the server's book changed after `from`, as a stream is sent them. */
function changedAfter(server: TestServer, from: string): BarData[] {
  return server.app
    .get(BarBook)
    .changesAfter(from, 'all', ['1s', '1m'])
    .upTo(`${Date.now() + 60_000}-0`)
    .map(({ symbol, interval, bar }) => toBarUpdate(symbol, interval, bar).bar);
}

describe('A stream resuming with bars', () => {
  let server: TestServer;

  afterEach(() => server.close());

  it('gets the bars changed while it was away in the pages of its catch-up, however far back, and every tick once', async () => {
    let from: string;
    ({ server, from } = await tickingMarket());
    const stream = await StallingStream.open(`${server.url}/api/stream?symbols=*&bars=1s,1m`, {
      'Last-Event-ID': from,
    });
    stream.stall();
    await sleep(1500);
    stream.resume();
    const ticks = SYMBOL_COUNT * SECONDS;
    await stream.waitFor((s) => s.ticks().length >= ticks, 20_000);
    // Then the bars the clock closes meanwhile, live.
    await sleep(2000);
    const expected = changedAfter(server, from);
    const latest = latestBars(stream);
    stream.close();

    expect(expected.length).toBeGreaterThan(SYMBOL_COUNT * SECONDS);
    for (const bar of expected) {
      expect(latest.get(barKey(bar))).toEqual(bar);
    }
    const tickIds = stream.ticks().map((frame) => frame.id ?? '');
    expect(tickIds).toHaveLength(ticks);
    const ids = stream.frames.map((frame) => frame.id ?? '');
    ids.slice(1).forEach((id, n) => expect(compareEventIds(id, ids[n])).toBeGreaterThanOrEqual(0));
    // The bars go out with the pages of ticks they are due in, not in one burst after them all.
    const types = stream.frames.map((frame) => frame.type);
    expect(types.indexOf('bar')).toBeLessThan(types.lastIndexOf('tick') - ticks / 2);
  });

  it('throttled, gets the closed bars with its pages and the latest of the rest as it goes live', async () => {
    let from: string;
    ({ server, from } = await tickingMarket());
    const stream = await StallingStream.open(
      `${server.url}/api/stream?symbols=*&bars=1s,1m&throttle=1000`,
      { 'Last-Event-ID': from },
    );
    stream.stall();
    await sleep(1500);
    stream.resume();
    await stream.waitFor(
      (s) => new Set(s.ticks().map((frame) => frame.data)).size >= SYMBOL_COUNT,
      20_000,
    );
    await sleep(2000);
    const expected = changedAfter(server, from);
    const latest = latestBars(stream);
    stream.close();

    expect(expected.filter((bar) => bar.final).length).toBeGreaterThan(SYMBOL_COUNT);
    for (const bar of expected) {
      expect(latest.get(barKey(bar))).toEqual(bar);
    }
    // Each symbol's latest price, once.
    const prices = new Map<string, number>();
    for (const frame of stream.ticks()) {
      const { symbol, price } = JSON.parse(frame.data) as Quote;
      expect(prices.has(symbol)).toBe(false);
      prices.set(symbol, price);
    }
    SYMBOLS.forEach((symbol, n) => expect(prices.get(symbol)).toBe(100 + SECONDS - 1 + n / 1000));
    const ids = stream.frames.map((frame) => frame.id ?? '');
    ids.slice(1).forEach((id, n) => expect(compareEventIds(id, ids[n])).toBeGreaterThanOrEqual(0));
  });
});
