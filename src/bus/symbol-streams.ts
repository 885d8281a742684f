import { Observable, Subject } from 'rxjs';
import type { Tick } from './tick.js';

/**
 * One hot stream per symbol, so that a tick costs work only for the subscribers of its own
 * symbol, however many subscribers other symbols have.
 */
export class SymbolStreams {
  private readonly bySymbol = new Map<string, Subject<Tick>>();
  private readonly everyTick = new Subject<Tick>();
  private subscribers = 0;

  /** Every tick of every symbol, for bus-wide consumers such as candles. */
  readonly all: Observable<Tick> = this.everyTick.asObservable();

  get subscriberCount(): number {
    return this.subscribers;
  }

  emit(tick: Tick): void {
    this.bySymbol.get(tick.quote.symbol)?.next(tick);
    this.everyTick.next(tick);
  }

  of(symbol: string): Observable<Tick> {
    return new Observable<Tick>((subscriber) => {
      let subject = this.bySymbol.get(symbol);
      if (!subject) {
        subject = new Subject<Tick>();
        this.bySymbol.set(symbol, subject);
      }
      const subscription = subject.subscribe(subscriber);
      this.subscribers++;
      const own = subject;
      return () => {
        subscription.unsubscribe();
        this.subscribers--;
        if (!own.observed && this.bySymbol.get(symbol) === own) {
          this.bySymbol.delete(symbol);
        }
      };
    });
  }

  /**
   * Ends every per-symbol stream with `error`, for subscribers that missed ticks: they come back
   * and are told so. Bus-wide consumers of `all` go on.
   */
  fail(error: unknown): void {
    const subjects = [...this.bySymbol.values()];
    this.bySymbol.clear();
    subjects.forEach((subject) => subject.error(error));
  }

  /** Ends every stream, so that open subscriptions complete on shutdown. */
  complete(): void {
    for (const subject of this.bySymbol.values()) {
      subject.complete();
    }
    this.bySymbol.clear();
    this.everyTick.complete();
  }
}
