import { compareEventIds, type Quote } from '@tickstream/client/contract';
import { loadConfig } from '../config/app-config.js';
import type { MarketEvent } from './market-event.js';
import { MemoryTickBus } from './memory-tick-bus.js';
import { PUBLISH_SLICE } from './publish-turns.js';
import { SymbolStoppedError } from './event-log.js';

const quote = (symbol: string, price: number): Quote => ({
  symbol,
  kind: 'trade',
  price,
  bid: price,
  ask: price,
  bidSize: 100,
  askSize: 100,
  size: 1,
  ts: Date.now(),
});

const BATCH = 5 * PUBLISH_SLICE;
const batch = (symbol = 'AAPL'): Quote[] =>
  Array.from({ length: BATCH }, (_, i) => quote(i === BATCH - 1 ? symbol : 'AAPL', 1 + i));

describe('MemoryTickBus publishing a large batch', () => {
  let bus: MemoryTickBus;
  let seen: MarketEvent[];

  beforeEach(() => {
    bus = new MemoryTickBus(loadConfig({ FEED: 'none', HISTORY_SIZE: String(4 * BATCH) }));
    seen = [];
    bus.allEvents.subscribe((event) => seen.push(event));
  });

  afterEach(() => bus.onModuleDestroy());

  it('lets the event loop turn between slices', async () => {
    const published = bus.publishAll(batch());
    const atFirstTurn = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(seen.length)),
    );
    await published;
    expect(atFirstTurn).toBeGreaterThan(0);
    expect(atFirstTurn).toBeLessThan(BATCH);
    expect(seen).toHaveLength(BATCH);
  });

  it('puts nothing published meanwhile among its events, nor before them', async () => {
    const published = bus.publishAll(batch());
    const status = bus.publishStatus({ symbol: 'MSFT', state: 'halted', reason: null, ts: 1 });
    const single = bus.publish(quote('NVDA', 5));
    const ticks = await published;
    const later = [(await status).id, (await single).id];
    const ids = ticks.map(({ id }) => id);
    expect(seen.map(({ id }) => id)).toEqual([...ids, ...later]);
    expect(ticks.map(({ quote: { price } }) => price)).toEqual(batch().map(({ price }) => price));
    ids.slice(1).forEach((id, i) => expect(compareEventIds(id, ids[i])).toBeGreaterThan(0));
    expect(compareEventIds(later[0], ids[ids.length - 1])).toBeGreaterThan(0);
  });

  it('refuses the whole batch when a symbol of its last slice has stopped', async () => {
    await bus.publishStatus({ symbol: 'MSFT', state: 'halted', reason: null, ts: 1 });
    seen.length = 0;
    await expect(bus.publishAll(batch('MSFT'))).rejects.toBeInstanceOf(SymbolStoppedError);
    expect(seen).toEqual([]);
    expect((await bus.snapshot(['AAPL'])).quotes).toEqual([]);
  });
});
