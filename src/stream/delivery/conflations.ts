import type { Observable, Observer } from 'rxjs';
import { ChannelConflation } from './channel-conflation.js';
import type { ItemFrame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';
import { WindowClock } from './window-clock.js';

/**
 * Throttled streams share their conflation: each channel is conflated once per throttle value,
 * however many streams read it, so that per-item work does not grow with subscribers.
 */
export class Conflations {
  private readonly byKey = new Map<string, ChannelConflation>();
  private readonly clock = new WindowClock();

  constructor(
    private readonly sourceOf: (channel: string) => Observable<StreamItem>,
    private readonly onSuperseded: (count: number) => void,
  ) {}

  /** Hands `reader` the releases of `channel` at `windowMs` until it leaves them. */
  join(channel: string, windowMs: number, reader: Observer<ItemFrame>): ChannelConflation {
    const key = `${windowMs} ${channel}`;
    let conflation = this.byKey.get(key);
    if (!conflation) {
      const created = new ChannelConflation(
        this.sourceOf(channel),
        windowMs,
        this.clock,
        this.onSuperseded,
        () => {
          if (this.byKey.get(key) === created) {
            this.byKey.delete(key);
          }
        },
      );
      this.byKey.set(key, created);
      conflation = created;
    }
    conflation.join(reader);
    return conflation;
  }
}
