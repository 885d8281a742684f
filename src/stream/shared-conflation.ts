import { Observable, type Subscriber } from 'rxjs';
import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { TickBus } from '../bus/tick-bus.js';
import type { Tick } from '../bus/tick.js';
import { tickFrame, type TickFrame } from './frames.js';
import { SymbolConflation, type ConflationReader } from './symbol-conflation.js';
import { WindowClock } from './window-clock.js';

const byId = (a: Tick, b: Tick): number => compareEventIds(a.id, b.id);

/**
 * Throttled streams: each symbol is conflated once per throttle value, shared by every stream
 * with that throttle (SymbolConflation), so that per-tick work does not grow with subscribers.
 */
export class SharedConflation {
  private readonly conflations = new Map<string, SymbolConflation>();
  private readonly clock = new WindowClock();

  constructor(
    private readonly bus: TickBus,
    private readonly onSuperseded: (count: number) => void,
  ) {}

  /**
   * The ticks of `symbols` after `after`, at most one per symbol per `windowMs`, the latest:
   * first the missed ones (history) conflated to the latest per symbol, then live. Each is framed
   * with the stream's watermark as its id: every tick of the stream's symbols up to it has been
   * sent or superseded by one sent, so resuming from it never loses a latest price, even while
   * other symbols' ticks are held back.
   */
  after(
    symbols: readonly string[],
    windowMs: number,
    after: EventId,
    onReplay: (count: number) => void,
  ): Observable<TickFrame> {
    return new Observable<TickFrame>((subscriber) => {
      const stream = new ConflatedStream(subscriber, after, this.onSuperseded, (reader) =>
        symbols.map((symbol) => this.join(symbol, windowMs, reader)),
      );
      this.bus.history(after, symbols).then(
        (ticks) => {
          if (!subscriber.closed) {
            onReplay(ticks.length);
            stream.catchUp(ticks);
          }
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => stream.leave();
    });
  }

  private join(symbol: string, windowMs: number, reader: ConflationReader): SymbolConflation {
    const key = `${windowMs} ${symbol}`;
    let conflation = this.conflations.get(key);
    if (!conflation) {
      const created = new SymbolConflation(
        this.bus.ticks(symbol),
        windowMs,
        this.clock,
        this.onSuperseded,
        () => {
          if (this.conflations.get(key) === created) {
            this.conflations.delete(key);
          }
        },
      );
      this.conflations.set(key, created);
      conflation = created;
    }
    conflation.join(reader);
    return conflation;
  }
}

/**
 * One stream's share of its symbols' conflations. Releases that come while its history loads are
 * held, then go out with the history, conflated to the latest per symbol.
 */
class ConflatedStream implements ConflationReader {
  private readonly conflations: readonly SymbolConflation[];
  private held: Map<string, Tick> | undefined = new Map();
  /** Every tick up to this id has reached the client with the opening or the replay. */
  private covered: EventId;
  /** The last id sent. */
  private watermark: EventId;

  constructor(
    private readonly subscriber: Subscriber<TickFrame>,
    after: EventId,
    private readonly onSuperseded: (count: number) => void,
    join: (reader: ConflationReader) => SymbolConflation[],
  ) {
    this.covered = after;
    this.watermark = after;
    this.conflations = join(this);
  }

  leave(): void {
    this.conflations.forEach((conflation) => conflation.leave(this));
  }

  deliver(tick: Tick): void {
    if (this.held) {
      this.held.set(tick.quote.symbol, tick);
    } else if (compareEventIds(tick.id, this.covered) > 0) {
      this.subscriber.next(tickFrame(tick, this.advance(tick.id)));
    }
  }

  fail(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  /** Sends the history and the held releases, the latest per symbol, oldest first. */
  catchUp(history: readonly Tick[]): void {
    const latest = new Map<string, Tick>();
    for (const tick of history) {
      latest.set(tick.quote.symbol, tick);
    }
    for (const [symbol, tick] of this.held ?? []) {
      const replayed = latest.get(symbol);
      if (!replayed || byId(tick, replayed) > 0) {
        latest.set(symbol, tick);
      }
    }
    const from = this.covered;
    const burst = [...latest.values()]
      .filter((tick) => compareEventIds(tick.id, from) > 0)
      .sort(byId);
    this.onSuperseded(history.length + (this.held?.size ?? 0) - burst.length);
    this.held = undefined;
    this.covered = history.at(-1)?.id ?? from;
    // Until the last of them is out, no id past `from` is safe to claim.
    burst.forEach((tick, i) => {
      const watermark = i < burst.length - 1 ? this.watermark : this.advance(tick.id);
      this.subscriber.next(tickFrame(tick, watermark));
    });
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
