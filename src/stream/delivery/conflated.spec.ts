import { setImmediate as turn, setTimeout as sleep } from 'node:timers/promises';
import { compareEventIds, precedingId } from '@tickstream/client/contract';
import { MemoryTickBus } from '../../bus/memory-tick-bus.js';
import type { Tick } from '../../bus/tick.js';
import { loadConfig } from '../../config/app-config.js';
import {
  busChannels,
  eventChannels,
  openDelivery,
  type OpenDelivery,
} from '../../../test/support/deliveries.js';
import { Conflated } from './conflated.js';
import { Conflations } from './conflations.js';
import type { Frame } from '../wire/frame.js';
import { toBarUpdate, type BarUpdate } from '../../market-data/bars/bar-update.js';

/** A window no test waits out: only leading releases happen. */
const LONG = 60_000;

describe('Conflated', () => {
  let bus: MemoryTickBus;
  let conflations: Conflations;
  let superseded: number;
  const streams: OpenDelivery<Frame>[] = [];
  const countSuperseded = (count: number) => (superseded += count);

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
  function open(symbols: string[], windowMs: number, after: string): Frame[] {
    const stream = openDelivery<Frame>(
      bus,
      symbols,
      after,
      (sink) =>
        new Conflated({
          channels: eventChannels(symbols),
          windowMs,
          shared: conflations,
          after,
          sink,
          counts: { superseded: countSuperseded },
          currentBars: () => [],
        }),
    );
    streams.push(stream);
    return stream.frames;
  }

  /** Symbol, price and the id each tick was sent with. */
  const summary = (frames: Frame[]) =>
    frames.map(({ item, id }) => [item?.symbol, (item as Tick).quote.price, id]);

  beforeEach(() => {
    bus = new MemoryTickBus(loadConfig({}));
    superseded = 0;
    conflations = new Conflations(busChannels(bus), { superseded: countSuperseded });
  });

  afterEach(() => {
    streams.splice(0).forEach((stream) => stream.close());
    bus.onModuleDestroy();
  });

  it('conflates each symbol once per throttle, however many streams read it', async () => {
    const head = (await bus.snapshot([])).head;
    const opened = Array.from({ length: 100 }, () => open(['A', 'B'], LONG, head));
    open(['A'], 500, head);
    await turn();
    // One bus subscription per symbol, throttle and grid (16 at most), not per stream.
    expect(bus.subscriberCount).toBe(2 * 16 + 1);
    await publish('A', 1);
    await publish('A', 2);
    await turn();
    expect(opened.every((received) => received.length === 1)).toBe(true);
    expect(superseded).toBe(0);
    await publish('A', 3);
    // Price 2, superseded once for each reader: 100 streams of one throttle, 1 of the other.
    expect(superseded).toBe(101);
    streams.splice(0).forEach((stream) => stream.close());
    expect(bus.subscriberCount).toBe(0);
  });

  it('claims no id past a tick held back in another symbol’s window', async () => {
    const head = (await bus.snapshot([])).head;
    const received = open(['A', 'B'], LONG, head);
    await turn();
    const a1 = await publish('A', 1);
    await turn();
    const a2 = await publish('A', 2); // held until A's window ends
    const b1 = await publish('B', 1);
    await turn();
    expect(summary(received)).toEqual([
      ['A', 1, a1.id],
      ['B', 1, precedingId(a2.id)],
    ]);
    expect(compareEventIds(b1.id, a2.id)).toBeGreaterThan(0);
  });

  it('sends the symbols a window ends for together in id order, each with its own id and the frame all share', async () => {
    const head = (await bus.snapshot([])).head;
    // 100 ms windows on 5 grids: the first and the sixth stream share one.
    const opened = Array.from({ length: 6 }, () => open(['A', 'B'], 100, head));
    const [first, sixth] = [opened[0], opened[5]];
    await turn();
    await publish('B', 1);
    await publish('A', 1);
    await turn();
    // Held until the windows end, B's after A's: released together, B first.
    const b2 = await publish('B', 2);
    const a2 = await publish('A', 2);
    await sleep(250);
    for (const received of [first, sixth]) {
      expect(summary(received).slice(2)).toEqual([
        ['B', 2, b2.id],
        ['A', 2, a2.id],
      ]);
    }
    expect(first[2]).toBe(sixth[2]);
    expect(first[3]).toBe(sixth[3]);
  });

  it('replays the missed ticks as the latest per symbol, oldest first, the last claiming them all', async () => {
    const first = await publish('A', 1);
    let last = first;
    for (let price = 2; price <= 20; price++) {
      await publish('B', price);
      last = await publish('A', price);
    }
    await publish('C', 1);
    const received = open(['A', 'B'], LONG, first.id);
    await turn();
    expect(summary(received)).toEqual([
      ['B', 20, first.id],
      ['A', 20, last.id],
    ]);
    expect(superseded).toBe(36);
  });

  it('sends a closed bar with its page, and keeps only what may still change for going live', () => {
    const frames: Frame[] = [];
    const conflated = new Conflated({
      channels: [],
      windowMs: LONG,
      shared: conflations,
      after: '1-0',
      sink: {
        send: (frame) => frames.push(frame),
        fail: () => {},
        complete: () => {},
      },
      counts: { superseded: countSuperseded },
      currentBars: () => [],
    });
    const bar = (time: number, id: string, final: boolean): BarUpdate =>
      toBarUpdate('A', '1s', {
        time,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
        seq: 0,
        final,
        changedBy: id,
        first: { ts: time * 1000, id },
        last: { ts: time * 1000, id },
      });
    conflated.replay([bar(1, '2-0', false), bar(1, '3-0', true), bar(2, '4-0', false)]);
    // The closed bar at once, claiming only the resume point; it superseded its open state.
    expect(frames.map(({ item, id }) => [(item as BarUpdate).bar.time, id])).toEqual([[1, '1-0']]);
    expect(superseded).toBe(1);
    conflated.goLive('5-0');
    expect(frames.map(({ item, id }) => [(item as BarUpdate).bar.time, id])).toEqual([
      [1, '1-0'],
      [2, '4-0'],
    ]);
  });

  it('sends nothing the stream’s opening already covered, and claims no id below it', async () => {
    const head = (await bus.snapshot([])).head;
    // A throttle too short to spread over grids: both streams share A's window.
    const early = open(['A'], 30, head);
    await turn();
    await publish('A', 1);
    await turn();
    await publish('A', 2); // waits in the shared window
    const joinedAt = (await bus.snapshot([])).head;
    const late = open(['A', 'B'], 30, joinedAt);
    await turn();
    const b1 = await publish('B', 1);
    await sleep(120);
    expect(summary(early).map(([, price]) => price)).toEqual([1, 2]);
    // A's price 2 came with the late stream's opening; B goes out, claiming its opening's id.
    expect(summary(late)).toEqual([['B', 1, joinedAt]]);
    expect(compareEventIds(b1.id, joinedAt)).toBeGreaterThan(0);
  });
});
