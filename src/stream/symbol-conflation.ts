import { precedingId, type EventId } from '@tickstream/client/contract';
import { asapScheduler, type Observable, type Observer, type Subscription } from 'rxjs';
import type { Tick } from '../bus/tick.js';
import { FanOut } from './fan-out.js';
import { tickFrame, type TickFrame } from './frame.js';
import type { WindowClock } from './window-clock.js';

/**
 * One symbol's ticks conflated once for every stream with the same throttle: at most one release
 * per `windowMs`, always the latest tick. A tick in a quiet period goes out at once, at the end of
 * the synchronous burst it came in (so a batch collapses to its latest); ticks inside a window
 * wait for its end. Each release goes to every reader, so a tick costs the same work however
 * many streams read the symbol, and streams released together are written together.
 *
 * Windows end on the clock's grid, at multiples of `windowMs`, where they can: then every busy
 * symbol of a throttle is released at the same moment, and a stream's symbols go out in one
 * write. A window opened off the grid (by a tick in a quiet period) ends on the grid when that
 * holds no tick longer than `windowMs`; otherwise it ends as late as the held tick allows, which
 * brings the next window closer to the grid.
 */
export class SymbolConflation {
  private readonly readers = new FanOut<TickFrame>();
  private pending: Tick | undefined;
  private below: EventId | undefined;
  /** When the last release was due; the next may come no sooner than a window after it. */
  private released = -Infinity;
  private cancelRelease: (() => void) | undefined;
  private readonly source: Subscription | undefined;
  private ended = false;

  constructor(
    ticks: Observable<Tick>,
    private readonly windowMs: number,
    private readonly clock: WindowClock,
    private readonly onSuperseded: (count: number) => void,
    private readonly onEnd: () => void,
  ) {
    // Undefined while subscribe runs: a source that ends in it is unsubscribed already.
    this.source = ticks.subscribe({
      next: (tick) => this.take(tick),
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
   * While a tick waits, the highest id a reader may claim to have: every earlier tick of the
   * symbol has been released or superseded. Undefined while nothing waits.
   */
  get pendingBelow(): EventId | undefined {
    return this.below;
  }

  join(reader: Observer<TickFrame>): void {
    this.readers.add(reader);
  }

  leave(reader: Observer<TickFrame>): void {
    if (this.readers.delete(reader) && this.readers.size === 0) {
      this.end();
    }
  }

  private take(tick: Tick): void {
    if (this.pending) {
      this.onSuperseded(this.readers.size);
    } else {
      this.below = precedingId(tick.id);
    }
    this.pending = tick;
    if (!this.cancelRelease) {
      this.cancelRelease = this.scheduleRelease();
    }
  }

  private scheduleRelease(): () => void {
    const now = this.clock.now();
    const windowEnd = this.released + this.windowMs;
    if (now >= windowEnd) {
      const burst = asapScheduler.schedule(() => this.release(this.clock.now()));
      return () => burst.unsubscribe();
    }
    const gridPoint = (Math.floor(now / this.windowMs) + 1) * this.windowMs;
    const time = gridPoint >= windowEnd ? gridPoint : now + this.windowMs;
    return this.clock.at(time, (due) => this.release(due));
  }

  private release(due: number): void {
    this.cancelRelease = undefined;
    const tick = this.pending;
    if (!tick) {
      return;
    }
    this.pending = undefined;
    this.below = undefined;
    this.released = due;
    // Framed once with its own id: the frame of every reader whose watermark it is.
    this.readers.next(tickFrame(tick));
  }

  private end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.source?.unsubscribe();
    this.cancelRelease?.();
    this.onEnd();
  }
}
