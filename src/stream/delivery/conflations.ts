import type { Observer } from 'rxjs';
import { KeyedHub } from '../../bus/keyed-hub.js';
import { channelKey, type Channel, type ChannelSources } from './channel.js';
import { ChannelConflation, type SupersededCount } from './channel-conflation.js';
import type { ItemFrame } from '../wire/frame.js';
import { WindowClock } from './window-clock.js';

/** A channel conflated at one throttle. */
interface ConflationKey {
  channel: Channel;
  windowMs: number;
}

const keyOf = ({ channel, windowMs }: ConflationKey): string =>
  `${windowMs} ${channelKey(channel)}`;

/**
 * Throttled streams share their conflation: each channel is conflated once per throttle value,
 * however many streams read it, so that per-item work does not grow with subscribers.
 */
export class Conflations {
  private readonly hub: KeyedHub<ConflationKey, ChannelConflation>;

  constructor(sources: ChannelSources, counts: SupersededCount) {
    const clock = new WindowClock();
    this.hub = new KeyedHub(keyOf, {
      make: ({ channel, windowMs }, lease) =>
        new ChannelConflation({ items: sources.sourceOf(channel), windowMs, clock, counts, lease }),
    });
  }

  /** Hands `reader` the releases of `channel` at `windowMs` until it leaves them. */
  join(channel: Channel, windowMs: number, reader: Observer<ItemFrame>): ChannelConflation {
    const conflation = this.hub.acquire({ channel, windowMs });
    conflation.join(reader);
    return conflation;
  }
}
