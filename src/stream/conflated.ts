import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { Observer } from 'rxjs';
import type { Tick } from '../bus/tick.js';
import type { Conflations } from './conflations.js';
import type { Delivery, StreamSink } from './delivery.js';
import { tickFrame, type TickFrame } from './frame.js';
import { LatestByKey } from './latest-by-key.js';
import type { SymbolConflation } from './symbol-conflation.js';

const idOf = (tick: Tick): EventId => tick.id;

/**
 * throttle=N: at most one tick per symbol per window, the latest, through the symbol's shared
 * conflation. History comes conflated too: the latest tick per symbol, sent once it is all read.
 *
 * Each tick is framed with the stream's watermark as its id: every tick of the stream's symbols
 * up to it has been sent or superseded by one sent, so resuming from it never loses a latest
 * price, even while other symbols' ticks are held back in their windows.
 */
export class Conflated implements Delivery, Observer<TickFrame> {
  private conflations: SymbolConflation[] = [];
  /** History and early releases, the latest per symbol, until the stream goes live. */
  private latest: LatestByKey<Tick> | undefined = new LatestByKey(idOf);
  /** Every tick up to this id has reached the client with the opening or the catch-up. */
  private covered: EventId;
  /** The last id sent. */
  private watermark: EventId;

  constructor(
    private readonly symbols: readonly string[],
    private readonly windowMs: number,
    private readonly shared: Conflations,
    after: EventId,
    private readonly sink: StreamSink,
    private readonly onSuperseded: (count: number) => void,
  ) {
    this.covered = after;
    this.watermark = after;
  }

  replay(ticks: readonly Tick[]): void {
    let superseded = 0;
    for (const tick of ticks) {
      superseded += this.keep(tick) ? 1 : 0;
    }
    this.onSuperseded(superseded);
  }

  join(): void {
    this.conflations = this.symbols.map((symbol) => this.shared.join(symbol, this.windowMs, this));
  }

  /** Sends the latest of history and of the early releases per symbol, oldest first. */
  goLive(covered: EventId): void {
    const from = this.covered;
    const burst = (this.latest?.take() ?? []).filter((tick) => compareEventIds(tick.id, from) > 0);
    this.latest = undefined;
    this.covered = covered;
    // Until the last of them is out, no id past `from` is safe to claim.
    burst.forEach((tick, i) => {
      const watermark = i < burst.length - 1 ? this.watermark : this.advance(tick.id);
      this.sink.send(tickFrame(tick, watermark));
    });
  }

  leave(): void {
    this.conflations.forEach((conflation) => conflation.leave(this));
  }

  next(frame: TickFrame): void {
    const { tick } = frame;
    if (this.latest) {
      this.onSuperseded(this.keep(tick) ? 1 : 0);
    } else if (compareEventIds(tick.id, this.covered) > 0) {
      const watermark = this.advance(tick.id);
      this.sink.send(watermark === tick.id ? frame : tickFrame(tick, watermark));
    }
  }

  error(error: unknown): void {
    this.sink.fail(error);
  }

  complete(): void {
    this.sink.complete();
  }

  private keep(tick: Tick): boolean {
    return this.latest?.set(tick.quote.symbol, tick) ?? false;
  }

  /**
   * The id to send with the tick `sent`: below every tick still waiting in one of the stream's
   * conflations, but never below what the client already has.
   */
  private advance(sent: EventId): EventId {
    let mark = sent;
    let waiting = false;
    for (const conflation of this.conflations) {
      const below = conflation.pendingBelow;
      if (below !== undefined && (!waiting || compareEventIds(below, mark) < 0)) {
        mark = below;
        waiting = true;
      }
    }
    if (waiting && compareEventIds(mark, this.covered) < 0) {
      mark = this.covered;
    }
    if (compareEventIds(mark, this.watermark) > 0) {
      this.watermark = mark;
    }
    return this.watermark;
  }
}
