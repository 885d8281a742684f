import { setImmediate as turn } from 'node:timers/promises';
import type { Subscription } from 'rxjs';
import { MemoryTickBus } from '../bus/memory-tick-bus.js';
import type { Tick } from '../bus/tick.js';
import { loadConfig } from '../config/app-config.js';
import type { TickFrame } from './frames.js';
import { UnthrottledFrames } from './unthrottled-frames.js';

describe('UnthrottledFrames', () => {
  let bus: MemoryTickBus;
  let frames: UnthrottledFrames;
  let replayed: number;
  const subscriptions: Subscription[] = [];

  const publish = async (symbol: string, price: number): Promise<Tick> =>
    bus.publish({ symbol, price, bid: price, ask: price, size: 1, ts: price });

  /** Opens a stream after `after`, and collects what reaches it. */
  function open(symbols: string[], after: string): TickFrame[] {
    const received: TickFrame[] = [];
    subscriptions.push(
      frames
        .after(symbols, after, (count) => (replayed += count))
        .subscribe((frame) => received.push(frame)),
    );
    return received;
  }

  beforeEach(() => {
    bus = new MemoryTickBus(loadConfig({}));
    frames = new UnthrottledFrames(bus);
    replayed = 0;
  });

  afterEach(() => {
    subscriptions.splice(0).forEach((subscription) => subscription.unsubscribe());
    bus.onModuleDestroy();
  });

  it('frames each tick once, on one bus subscription per symbol, for every stream', async () => {
    const head = (await bus.snapshot([])).head;
    const streams = Array.from({ length: 100 }, () => open(['A', 'B'], head));
    await turn();
    expect(bus.subscriberCount).toBe(2);
    const a1 = await publish('A', 1);
    const b1 = await publish('B', 1);
    expect(streams.every((received) => received.length === 2)).toBe(true);
    const [first] = streams;
    expect(first.map(({ id, text }) => [id, text])).toEqual([
      [a1.id, `event: tick\nid: ${a1.id}\ndata: ${a1.data}\n\n`],
      [b1.id, `event: tick\nid: ${b1.id}\ndata: ${b1.data}\n\n`],
    ]);
    expect(streams.every((received) => received[0] === first[0])).toBe(true);
    subscriptions.splice(0).forEach((subscription) => subscription.unsubscribe());
    expect(bus.subscriberCount).toBe(0);
  });

  it('replays every missed tick of its symbols, then goes live with nothing lost or repeated', async () => {
    const from = await publish('A', 1);
    const missed = [await publish('B', 2), await publish('C', 3), await publish('A', 4)];
    const received = open(['A', 'B'], from.id);
    // Published before the history has loaded: held, then sent once, after it.
    const held = await publish('A', 5);
    await turn();
    const live = [await publish('B', 6), await publish('C', 7), await publish('A', 8)];
    expect(received.map(({ tick }) => tick.id)).toEqual([
      missed[0].id,
      missed[2].id,
      held.id,
      live[0].id,
      live[2].id,
    ]);
    expect(replayed).toBe(2);
    subscriptions.splice(0).forEach((subscription) => subscription.unsubscribe());
    expect(bus.subscriberCount).toBe(0);
  });
});
