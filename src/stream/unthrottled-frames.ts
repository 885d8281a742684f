import { map, share, type Observable } from 'rxjs';
import type { EventId } from '@tickstream/client/contract';
import type { TickBus } from '../bus/tick-bus.js';
import { tickFrame, type TickFrame } from './frames.js';
import { joinLive } from './join-live.js';

/**
 * Unthrottled streams: a tick's frame, id included, is the same for every one of them, so each
 * symbol's ticks are framed once, on one stream shared by all its unthrottled subscribers. A
 * tick then costs each subscriber no more than handing it the frame.
 */
export class UnthrottledFrames {
  private readonly bySymbol = new Map<string, Observable<TickFrame>>();

  constructor(private readonly bus: TickBus) {}

  /**
   * The frames of `symbols`' ticks after `after`: history first, then live, with no gap.
   * `onReplay` hears how many come from history.
   */
  after(
    symbols: readonly string[],
    after: EventId,
    onReplay: (count: number) => void,
  ): Observable<TickFrame> {
    return joinLive(
      symbols.map((symbol) => this.of(symbol)),
      after,
      async () => {
        const ticks = await this.bus.history(after, symbols);
        onReplay(ticks.length);
        return ticks.map((tick) => tickFrame(tick, tick.id));
      },
    );
  }

  /** Subscribed to the bus while anyone reads it; the symbols are the registry's, a bounded set. */
  private of(symbol: string): Observable<TickFrame> {
    let frames = this.bySymbol.get(symbol);
    if (!frames) {
      frames = this.bus.ticks(symbol).pipe(
        map((tick) => tickFrame(tick, tick.id)),
        share(),
      );
      this.bySymbol.set(symbol, frames);
    }
    return frames;
  }
}
