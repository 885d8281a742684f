import type { Observable, Observer, Subscription } from 'rxjs';
import type { TickBus } from '../bus/tick-bus.js';
import type { Tick } from '../bus/tick.js';
import { FanOut } from './fan-out.js';
import { tickFrame, type Frame } from './frame.js';

/**
 * Unthrottled streams: a tick's frame, id included, is the same for every one of them, so each
 * symbol's ticks are framed once and handed to all its unthrottled streams. A tick then costs
 * each stream no more than taking the frame.
 */
export class LiveFrames {
  private readonly bySymbol = new Map<string, SymbolFrames>();

  constructor(private readonly bus: TickBus) {}

  /** Hands `reader` the frames of `symbol`'s live ticks until it leaves or they end. */
  join(symbol: string, reader: Observer<Frame>): void {
    let frames = this.bySymbol.get(symbol);
    if (!frames) {
      const created = new SymbolFrames(() => {
        if (this.bySymbol.get(symbol) === created) {
          this.bySymbol.delete(symbol);
        }
      });
      this.bySymbol.set(symbol, created);
      created.follow(this.bus.ticks(symbol));
      frames = created;
    }
    frames.readers.add(reader);
  }

  leave(symbol: string, reader: Observer<Frame>): void {
    const frames = this.bySymbol.get(symbol);
    if (frames?.readers.delete(reader) && frames.readers.size === 0) {
      frames.end();
    }
  }
}

/** One symbol's live ticks, framed once, while any stream reads them. */
class SymbolFrames implements Observer<Tick> {
  readonly readers = new FanOut<Frame>();
  private source: Subscription | undefined;
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  follow(ticks: Observable<Tick>): void {
    const source = ticks.subscribe(this);
    // A source that ended while subscribing has ended this already.
    if (this.ended) {
      source.unsubscribe();
    } else {
      this.source = source;
    }
  }

  next(tick: Tick): void {
    this.readers.next(tickFrame(tick));
  }

  error(error: unknown): void {
    this.end();
    this.readers.error(error);
  }

  complete(): void {
    this.end();
    this.readers.complete();
  }

  end(): void {
    if (!this.ended) {
      this.ended = true;
      this.source?.unsubscribe();
      this.onEnd();
    }
  }
}
