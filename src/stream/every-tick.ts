import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { Observer } from 'rxjs';
import type { Tick } from '../bus/tick.js';
import type { Delivery, StreamSink } from './delivery.js';
import { tickFrame, type Frame } from './frame.js';
import type { LiveFrames } from './live-frames.js';

/**
 * throttle=0: every tick, each with its own id, in id order. Live, a stream takes the frame its
 * symbol's ticks were framed into once for all (LiveFrames) and passes it on.
 */
export class EveryTick implements Delivery, Observer<Frame> {
  /** Live frames that came while history was still being read. */
  private waiting: Frame[] | undefined;

  constructor(
    private readonly symbols: readonly string[],
    private readonly live: LiveFrames,
    private readonly sink: StreamSink,
  ) {}

  replay(ticks: readonly Tick[]): void {
    for (const tick of ticks) {
      this.sink.send(tickFrame(tick));
    }
  }

  join(): void {
    this.waiting = [];
    this.symbols.forEach((symbol) => this.live.join(symbol, this));
  }

  goLive(covered: EventId): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    for (const frame of waiting) {
      if (frame.id !== undefined && compareEventIds(frame.id, covered) > 0) {
        this.sink.send(frame);
      }
    }
  }

  leave(): void {
    this.symbols.forEach((symbol) => this.live.leave(symbol, this));
  }

  next(frame: Frame): void {
    if (this.waiting) {
      this.waiting.push(frame);
    } else {
      this.sink.send(frame);
    }
  }

  error(error: unknown): void {
    this.sink.fail(error);
  }

  complete(): void {
    this.sink.complete();
  }
}
