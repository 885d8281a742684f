import { Observable, Subject } from 'rxjs';
import type { MarketEvent } from './market-event.js';

/**
 * One hot stream per symbol, so that an event costs work only for the subscribers of its own
 * symbol, however many subscribers other symbols have.
 */
export class SymbolStreams {
  private readonly bySymbol = new Map<string, Subject<MarketEvent>>();
  private readonly everyEvent = new Subject<MarketEvent>();
  private subscribers = 0;

  /** Every event of every symbol: for the firehose, and for bus-wide consumers such as bars. */
  readonly all: Observable<MarketEvent> = this.everyEvent.asObservable();

  get subscriberCount(): number {
    return this.subscribers;
  }

  emit(event: MarketEvent): void {
    this.bySymbol.get(event.symbol)?.next(event);
    this.everyEvent.next(event);
  }

  of(symbol: string): Observable<MarketEvent> {
    return new Observable<MarketEvent>((subscriber) => {
      let subject = this.bySymbol.get(symbol);
      if (!subject) {
        subject = new Subject<MarketEvent>();
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
    this.everyEvent.complete();
  }
}
