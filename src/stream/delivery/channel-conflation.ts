import { precedingId, type EventId } from '@tickstream/client/contract';
import { asapScheduler, type Observable, type Observer, type Subscription } from 'rxjs';
import type { Lease } from '../../bus/keyed-hub.js';
import { FanOut } from './fan-out.js';
import { itemFrame, type Frame } from '../wire/frame.js';
import { LatestByKey } from '../wire/latest-by-key.js';
import { supersede, supersedeKey, type StreamItem } from '../wire/stream-item.js';
import type { Released, WindowClock } from './window-clock.js';

const idOf = (item: StreamItem): EventId => item.id;

/** Counts the items a newer one of the same key replaced before they went out. */
export interface SupersededCount {
  superseded(count: number): void;
}

/** What a channel's conflation is made of. */
export interface ConflationParts {
  items: Observable<StreamItem>;
  windowMs: number;
  /** Where in the window its grid lies: 0 <= offsetMs < windowMs. */
  offsetMs: number;
  /** Shared by the conflations of a process, so that windows on one grid end together. */
  clock: WindowClock;
  counts: SupersededCount;
  lease: Lease;
}

/**
 * One channel's items (a symbol's ticks and status changes, its bars at an interval, or every
 * symbol's) conflated once for every stream with the same throttle: per key (see supersedeKey)
 * at most one release per `windowMs`, always the latest; a status change is never replaced. An
 * item in a quiet period goes out at once, at the end of the synchronous burst it came in (so a
 * batch collapses to its latest); items inside a window wait for its end. Each release goes to
 * every reader, so an item costs the same work however many streams read the channel, and
 * streams released together are written together.
 *
 * Windows end on a grid, at multiples of `windowMs` past `offsetMs`, where they can: then every
 * busy channel of a throttle and offset is released at the same moment, and the symbols of a
 * stream (whose channels share an offset, see Conflations) go out in one write. A window opened
 * off the grid (by an item in a quiet period) ends on the grid when that holds no item longer
 * than `windowMs`; otherwise it ends as late as the held item allows, which brings the next
 * window closer to the grid.
 */
export class ChannelConflation {
  private readonly readers = new FanOut<Frame>();
  private readonly pending = new LatestByKey<StreamItem>(idOf, supersede);
  private below: EventId | undefined;
  /** When the last release was due; the next may come no sooner than a window after it. */
  private released = -Infinity;
  private cancelRelease: (() => void) | undefined;
  private readonly source: Subscription | undefined;
  private ended = false;

  private readonly windowMs: number;
  private readonly offsetMs: number;
  private readonly clock: WindowClock;
  private readonly counts: SupersededCount;
  private readonly lease: Lease;

  constructor({ items, windowMs, offsetMs, clock, counts, lease }: ConflationParts) {
    this.windowMs = windowMs;
    this.offsetMs = offsetMs;
    this.clock = clock;
    this.counts = counts;
    this.lease = lease;
    // Undefined while subscribe runs: a source that ends in it is unsubscribed already.
    this.source = items.subscribe({
      next: (item) => this.take(item),
      error: (error: unknown) => {
        this.end();
        this.readers.error(error);
      },
      complete: () => {
        this.end();
        this.readers.complete();
      },
    });
  }

  /**
   * While an item waits, the highest id a reader may claim to have: every earlier item of the
   * channel has been released or superseded. Undefined while nothing waits.
   */
  get pendingBelow(): EventId | undefined {
    return this.below;
  }

  join(reader: Observer<Frame>): void {
    this.readers.add(reader);
  }

  leave(reader: Observer<Frame>): void {
    if (this.readers.delete(reader) && this.readers.size === 0) {
      this.end();
    }
  }

  private take(item: StreamItem): void {
    if (this.pending.size === 0) {
      this.below = precedingId(item.id);
    }
    if (this.pending.set(supersedeKey(item), item)) {
      this.counts.superseded(this.readers.size);
    }
    if (!this.cancelRelease) {
      this.cancelRelease = this.scheduleRelease();
    }
  }

  private scheduleRelease(): () => void {
    const now = this.clock.now();
    const windowEnd = this.released + this.windowMs;
    if (now >= windowEnd) {
      const burst = asapScheduler.schedule(() =>
        this.release(this.clock.now()).forEach((item) => item.send()),
      );
      return () => burst.unsubscribe();
    }
    const { windowMs, offsetMs } = this;
    const gridPoint = (Math.floor((now - offsetMs) / windowMs) + 1) * windowMs + offsetMs;
    const time = gridPoint >= windowEnd ? gridPoint : now + windowMs;
    return this.clock.at(time, (due) => this.release(due));
  }

  /** Takes what waits, for sending: see WindowClock. */
  private release(due: number): Released[] {
    this.cancelRelease = undefined;
    if (this.pending.size === 0) {
      return [];
    }
    const items = this.pending.take();
    this.below = undefined;
    this.released = due;
    // Each framed once with its own id: the frame of every reader whose watermark it is.
    return items.map((item) => ({ id: item.id, send: () => this.readers.next(itemFrame(item)) }));
  }

  private end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.source?.unsubscribe();
    this.cancelRelease?.();
    this.lease.release();
  }
}
