import type { TickBus } from '../../src/bus/tick-bus.js';
import { catchUp } from '../../src/stream/delivery/catch-up.js';
import { channelsOf, type ChannelSources } from '../../src/stream/delivery/channel.js';
import type { Delivery, StreamSink } from '../../src/stream/delivery/delivery.js';
import type { Frame } from '../../src/stream/wire/frame.js';

export interface OpenDelivery<F extends Frame> {
  /** What reached the stream, in order. */
  frames: F[];
  /** How many ticks came from history. */
  replayed(): number;
  /** Set once the stream's sources failed. */
  failure(): unknown;
  /** Leaves the live sources, as the stream's end does. */
  close(): void;
}

/**
 * A delivery driven as the service drives one: caught up from `after` through `catchUp` on the
 * bus's history (pages of `pageSize`), its frames collected instead of written.
 */
export function openDelivery<F extends Frame>(
  bus: TickBus,
  symbols: readonly string[],
  after: string,
  make: (sink: StreamSink) => Delivery,
  { resuming = true, pageSize = 1000 }: { resuming?: boolean; pageSize?: number } = {},
): OpenDelivery<F> {
  const frames: F[] = [];
  let replayed = 0;
  let failure: unknown;
  let closed = false;
  const delivery = make({
    send: (frame) => frames.push(frame as F),
    fail: (error) => (failure = error),
    complete: () => (closed = true),
  });
  const wanted = new Set(symbols);
  const read = (from: string) => bus.history(from, (symbol) => wanted.has(symbol), pageSize);
  catchUp(delivery, after, resuming, {
    read,
    readInTurn: read,
    writable: () => Promise.resolve(),
    ended: () => closed,
    openingPage: () => Promise.resolve(undefined),
    send: (frame) => frames.push(frame as F),
    replayed: (count) => (replayed += count),
  }).catch((error: unknown) => (failure = error));
  return {
    frames,
    replayed: () => replayed,
    failure: () => failure,
    close: () => {
      closed = true;
      delivery.leave();
    },
  };
}

/** The bus's events as the channels of streams of symbols, without bars. */
export function busChannels(bus: TickBus): ChannelSources {
  return {
    sourceOf: (channel) => (channel.kind === 'events' ? bus.events(channel.symbol) : bus.allEvents),
  };
}

/** The channels of a stream of `symbols`, without bars. */
export const eventChannels = (symbols: readonly string[]) => channelsOf({ symbols, bars: [] });
