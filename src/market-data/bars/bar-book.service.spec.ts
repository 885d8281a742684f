import { Subject, type Observable } from 'rxjs';
import type { BarData, Quote } from '@tickstream/client/contract';
import type { MarketEvent } from '../../bus/market-event.js';
import { MemoryTickBus } from '../../bus/memory-tick-bus.js';
import { toTick } from '../../bus/tick.js';
import { loadConfig } from '../../config/app-config.js';
import { MemorySimulationStore } from '../simulation/memory-simulation-store.js';
import { BAR_CLOSE_GRACE_MS, BarBook } from './bar-book.service.js';

/** A memory bus whose events the test hands out, with the ids (the bus's clock) it chooses. */
class ClockedBus extends MemoryTickBus {
  readonly events$ = new Subject<MarketEvent>();

  override get allEvents(): Observable<MarketEvent> {
    return this.events$;
  }
}

const quote = (symbol: string, price: number, ts: number): Quote => ({
  symbol,
  kind: 'trade',
  price,
  bid: price,
  ask: price,
  bidSize: 100,
  askSize: 100,
  size: 1,
  ts,
});

/** A whole second well after now: the book's own clock closes nothing while a test runs. */
const AHEAD = (Math.ceil(Date.now() / 1000) + 600) * 1000;

describe('BarBook', () => {
  let bus: ClockedBus;
  let book: BarBook;
  let updates: BarData[];

  beforeEach(async () => {
    const config = loadConfig({ FEED: 'none' });
    bus = new ClockedBus(config);
    book = new BarBook(bus, config, new MemorySimulationStore());
    await book.onModuleInit();
    updates = [];
    book.bars('1s').subscribe((update) => updates.push(update.bar));
  });

  afterEach(() => {
    book.onModuleDestroy();
    bus.onModuleDestroy();
  });

  /** A tick of `symbol` at `ts`, reaching the bus at `at` (ms). */
  const tick = (symbol: string, price: number, ts: number, at = ts): void =>
    bus.events$.next(toTick(`${at}-0`, quote(symbol, price, ts)));

  const finals = (symbol: string) =>
    updates.filter((bar) => bar.symbol === symbol && bar.final).map(({ time }) => time);

  it("closes a bar when the bus's clock, of any symbol, passes its end by the grace", () => {
    tick('A', 10, AHEAD + 100);
    tick('B', 20, AHEAD + 1_000 + BAR_CLOSE_GRACE_MS - 1);
    expect(finals('A')).toEqual([]);
    tick('B', 21, AHEAD + 1_000 + BAR_CLOSE_GRACE_MS);
    expect(finals('A')).toEqual([AHEAD / 1000]);
    expect(updates.at(-1)).toMatchObject({ symbol: 'A', final: true, open: 10, close: 10 });
    expect(book.candles('A', '1s', 10)).toEqual([
      { time: AHEAD / 1000, open: 10, high: 10, low: 10, close: 10, volume: 1 },
    ]);
  });

  it("closes a bar on this instance's clock when the bus is quiet", async () => {
    const now = Date.now();
    tick('A', 10, now);
    expect(finals('A')).toEqual([]);
    const due = Math.floor(now / 1000) * 1000 + 1_000 + BAR_CLOSE_GRACE_MS - Date.now();
    await new Promise((resolve) => setTimeout(resolve, due + 200));
    expect(finals('A')).toEqual([Math.floor(now / 1000)]);
  });

  it('folds a late tick into its closed bar as a correction, open and close by time', () => {
    tick('A', 10, AHEAD + 100);
    tick('A', 11, AHEAD + 1_200);
    tick('B', 1, AHEAD + 2_000, AHEAD + 3_000);
    expect(finals('A')).toEqual([AHEAD / 1000, AHEAD / 1000 + 1]);
    updates.length = 0;
    tick('A', 5, AHEAD + 50, AHEAD + 3_001);
    expect(updates).toEqual([
      expect.objectContaining({ time: AHEAD / 1000, open: 5, low: 5, close: 10, final: true }),
    ]);
  });

  it('closes, with the same event, a bar that a late tick opens after its end', () => {
    tick('A', 10, AHEAD, AHEAD + 2_000);
    expect(updates).toEqual([
      expect.objectContaining({ symbol: 'A', time: AHEAD / 1000, final: false }),
      expect.objectContaining({ symbol: 'A', time: AHEAD / 1000, final: true }),
    ]);
  });

  it('keeps the bars of many symbols, each late, each closed', () => {
    const symbols = Array.from({ length: 5_000 }, (_, i) => `S${i}`);
    symbols.forEach((symbol, i) => tick(symbol, 1 + i, AHEAD, AHEAD + 2_000 + i));
    expect(updates.filter((bar) => bar.final)).toHaveLength(symbols.length);
    symbols.forEach((symbol, i) =>
      expect(book.candles(symbol, '1s', 10)).toEqual([
        { time: AHEAD / 1000, open: 1 + i, high: 1 + i, low: 1 + i, close: 1 + i, volume: 1 },
      ]),
    );
    tick('S0', 7, AHEAD + 7_000, AHEAD + 7_500);
    expect(book.candles('S0', '1s', 10).map(({ time }) => time)).toEqual([
      AHEAD / 1000,
      AHEAD / 1000 + 7,
    ]);
  });
});
