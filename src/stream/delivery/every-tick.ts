import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { Observer } from 'rxjs';
import type { Channel } from './channel.js';
import type { CurrentBars, Delivery, StreamSink } from './delivery.js';
import { itemFrame, type Frame } from '../wire/frame.js';
import type { LiveFrames } from './live-frames.js';
import type { StreamItem } from '../wire/stream-item.js';

/**
 * throttle=0: every tick, status change and bar change, each with the id of the event it came
 * from, in id order. Live, a stream takes the frame its channels' items were framed into once for
 * all (LiveFrames) and passes it on.
 */
export class EveryTick implements Delivery, Observer<Frame> {
  /** Live frames that came while history was still being read. */
  private waiting: Frame[] | undefined;
  /**
   * Set once history is read: live items up to it were sent from history. On the Redis bus the
   * instance's read loop may hand them on only now; once one newer passes, all later ones are.
   */
  private covered: EventId | undefined;

  constructor(
    private readonly channels: readonly Channel[],
    private readonly live: LiveFrames,
    private readonly sink: StreamSink,
    private readonly currentBars: CurrentBars,
  ) {}

  replay(events: readonly StreamItem[]): void {
    for (const event of events) {
      this.sink.send(this.live.frameOfReplayed(event));
    }
  }

  join(): void {
    this.waiting = [];
    this.channels.forEach((channel) => this.live.join(channel, this));
  }

  goLive(covered: EventId): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    this.covered = covered;
    // A fresh stream's bars as they stand; what waited and is newer follows.
    for (const bar of this.currentBars()) {
      this.sink.send(itemFrame(bar, covered));
    }
    waiting.forEach((frame) => this.next(frame));
  }

  leave(): void {
    this.channels.forEach((channel) => this.live.leave(channel, this));
  }

  next(frame: Frame): void {
    if (this.waiting) {
      this.waiting.push(frame);
    } else if (this.covered === undefined) {
      this.sink.send(frame);
    } else {
      this.pass(frame, this.covered);
    }
  }

  error(error: unknown): void {
    this.sink.fail(error);
  }

  complete(): void {
    this.sink.complete();
  }

  private pass(frame: Frame, covered: EventId): void {
    if (frame.id === undefined || compareEventIds(frame.id, covered) > 0) {
      this.covered = undefined;
      this.sink.send(frame);
    } else if (frame.item?.kind === 'bar') {
      // A bar change that history already covered, but the bars sent did not: it goes out,
      // claiming no more than the stream already has.
      this.sink.send(itemFrame(frame.item, covered));
    }
  }
}
