import { setImmediate as turn } from 'node:timers/promises';
import {
  busChannels,
  eventChannels,
  openDelivery,
  type OpenDelivery,
} from '../../../test/support/deliveries.js';
import { MemoryTickBus } from '../../bus/memory-tick-bus.js';
import type { Tick } from '../../bus/tick.js';
import { loadConfig } from '../../config/app-config.js';
import { EveryTick } from './every-tick.js';
import type { Frame } from '../wire/frame.js';
import { LiveFrames } from './live-frames.js';

describe('EveryTick', () => {
  let bus: MemoryTickBus;
  let live: LiveFrames;
  const streams: OpenDelivery<Frame>[] = [];

  const publish = async (symbol: string, price: number): Promise<Tick> =>
    bus.publish({
      symbol,
      price,
      bid: price,
      ask: price,
      kind: 'trade',
      size: 1,
      bidSize: 100,
      askSize: 100,
      ts: price,
    });

  /** Opens a stream after `after`, and collects what reaches it. */
  function open(symbols: string[], after: string, pageSize?: number): OpenDelivery<Frame> {
    const stream = openDelivery<Frame>(
      bus,
      symbols,
      after,
      (sink) => new EveryTick(eventChannels(symbols), live, sink, () => []),
      { pageSize },
    );
    streams.push(stream);
    return stream;
  }

  beforeEach(() => {
    bus = new MemoryTickBus(loadConfig({}));
    live = new LiveFrames(busChannels(bus));
  });

  afterEach(() => {
    streams.splice(0).forEach((stream) => stream.close());
    bus.onModuleDestroy();
  });

  it('frames a tick replayed from history once for every stream that replays it', async () => {
    const from = (await bus.snapshot([])).head;
    const missed = [await publish('A', 1), await publish('B', 2)];
    const [one, two] = [open(['A', 'B'], from), open(['A', 'B'], from)];
    await turn();
    expect(one.frames.map(({ id }) => id)).toEqual(missed.map(({ id }) => id));
    expect(two.frames).toHaveLength(2);
    two.frames.forEach((frame, n) => expect(frame).toBe(one.frames[n]));
  });

  it('frames each tick once, on one bus subscription per symbol, for every stream', async () => {
    const head = (await bus.snapshot([])).head;
    const opened = Array.from({ length: 100 }, () => open(['A', 'B'], head).frames);
    await turn();
    expect(bus.subscriberCount).toBe(2);
    const a1 = await publish('A', 1);
    const b1 = await publish('B', 1);
    expect(opened.every((received) => received.length === 2)).toBe(true);
    const [first] = opened;
    expect(first.map(({ id, bytes }) => [id, bytes.toString()])).toEqual([
      [a1.id, `event: tick\nid: ${a1.id}\ndata: ${a1.data}\n\n`],
      [b1.id, `event: tick\nid: ${b1.id}\ndata: ${b1.data}\n\n`],
    ]);
    expect(opened.every((received) => received[0] === first[0])).toBe(true);
    streams.splice(0).forEach((stream) => stream.close());
    expect(bus.subscriberCount).toBe(0);
  });

  it('replays every missed tick of its symbols, then goes live with nothing lost or repeated', async () => {
    const from = await publish('A', 1);
    const missed = [await publish('B', 2), await publish('C', 3), await publish('A', 4)];
    const stream = open(['A', 'B'], from.id);
    // Published before the history has loaded: read with it, or held and sent once after it.
    const held = await publish('A', 5);
    await turn();
    const later = [await publish('B', 6), await publish('C', 7), await publish('A', 8)];
    expect(stream.frames.map(({ item }) => item?.id)).toEqual([
      missed[0].id,
      missed[2].id,
      held.id,
      later[0].id,
      later[2].id,
    ]);
    expect(stream.replayed()).toBe(3);
    streams.splice(0).forEach((stream) => stream.close());
    expect(bus.subscriberCount).toBe(0);
  });

  it('replays history a page at a time, however long, then goes live', async () => {
    const from = await publish('A', 0);
    const missed: Tick[] = [];
    for (let price = 1; price <= 25; price++) {
      missed.push(await publish(price % 3 === 0 ? 'C' : 'A', price));
    }
    const stream = open(['A'], from.id, 4);
    for (let pages = 0; pages < 10; pages++) {
      await turn();
    }
    const later = await publish('A', 26);
    const wanted = [...missed.filter((tick) => tick.quote.symbol === 'A'), later];
    expect(stream.frames.map(({ item }) => item?.id)).toEqual(wanted.map((tick) => tick.id));
    expect(stream.failure()).toBeUndefined();
  });

  it('fails when history no longer holds where the stream resumes from', async () => {
    bus = new MemoryTickBus(loadConfig({ HISTORY_SIZE: '2' }));
    live = new LiveFrames(busChannels(bus));
    const from = await publish('A', 1);
    for (let price = 2; price <= 4; price++) {
      await publish('A', price);
    }
    const stream = open(['A'], from.id);
    await turn();
    expect(stream.failure()).toMatchObject({ after: from.id });
  });
});
