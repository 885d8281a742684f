import type { Observer } from 'rxjs';
import { KeyedHub } from '../../bus/keyed-hub.js';
import { channelKey, type Channel, type ChannelSources } from './channel.js';
import { ChannelConflation, type SupersededCount } from './channel-conflation.js';
import type { Frame } from '../wire/frame.js';
import { WindowClock } from './window-clock.js';

/** A channel conflated at one throttle, on one of its grids. */
interface ConflationKey {
  channel: Channel;
  windowMs: number;
  offsetMs: number;
}

const keyOf = ({ channel, windowMs, offsetMs }: ConflationKey): string =>
  `${windowMs}+${offsetMs} ${channelKey(channel)}`;

/** The most grids a throttle's windows are spread over. */
const MAX_GRIDS = 16;
/** The least time between two grids of a throttle: closer, spreading them gains nothing. */
const MIN_GRID_GAP_MS = 20;

/**
 * Throttled streams share their conflation: each channel is conflated once per throttle value
 * and grid, however many streams read it, so that per-item work does not grow with subscribers.
 *
 * A throttle's windows end on up to 16 grids spread over the window, and its streams are dealt
 * to them in turn: with one grid, every stream of a throttle was written in one burst (10,000
 * streams at throttle=1000 waited 236 ms at the median for their write); on 16, each burst is a
 * sixteenth as long. A stream's channels all share its grid, so its symbols still go out in one
 * write per window.
 */
export class Conflations {
  private readonly hub: KeyedHub<ConflationKey, ChannelConflation>;
  /** Per throttle, the grid of the stream that joined last. */
  private readonly lastGrid = new Map<number, number>();

  constructor(sources: ChannelSources, counts: SupersededCount) {
    const clock = new WindowClock();
    this.hub = new KeyedHub(keyOf, {
      make: ({ channel, windowMs, offsetMs }, lease) =>
        new ChannelConflation({
          items: sources.sourceOf(channel),
          windowMs,
          offsetMs,
          clock,
          counts,
          lease,
        }),
    });
  }

  /**
   * Hands `reader` the releases of `channels` at `windowMs`, all on the next grid in turn, until
   * it leaves them.
   */
  join(
    channels: readonly Channel[],
    windowMs: number,
    reader: Observer<Frame>,
  ): ChannelConflation[] {
    const grids = Math.max(1, Math.min(MAX_GRIDS, Math.floor(windowMs / MIN_GRID_GAP_MS)));
    const grid = ((this.lastGrid.get(windowMs) ?? -1) + 1) % grids;
    this.lastGrid.set(windowMs, grid);
    const offsetMs = Math.floor((grid * windowMs) / grids);
    return channels.map((channel) => {
      const conflation = this.hub.acquire({ channel, windowMs, offsetMs });
      conflation.join(reader);
      return conflation;
    });
  }
}
