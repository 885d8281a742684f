import { Subject, type Observable } from 'rxjs';
import { HotSubjects } from './hot-subjects.js';
import type { MarketEvent } from './market-event.js';

/**
 * One hot stream per symbol, so that an event costs work only for the subscribers of its own
 * symbol, however many subscribers other symbols have; and one of every event.
 */
export class SymbolStreams {
  private readonly bySymbol = new HotSubjects<string, MarketEvent>((symbol) => symbol);
  private readonly everyEvent = new Subject<MarketEvent>();

  /** Every event of every symbol: for the firehose, and for bus-wide consumers such as bars. */
  readonly all: Observable<MarketEvent> = this.everyEvent.asObservable();

  get subscriberCount(): number {
    return this.bySymbol.subscriberCount;
  }

  emit(event: MarketEvent): void {
    this.bySymbol.emit(event.symbol, event);
    this.everyEvent.next(event);
  }

  of(symbol: string): Observable<MarketEvent> {
    return this.bySymbol.of(symbol);
  }

  /**
   * Ends every per-symbol stream with `error`, for subscribers that missed ticks: they come back
   * and are told so. Bus-wide consumers of `all` go on.
   */
  fail(error: unknown): void {
    this.bySymbol.fail(error);
  }

  /** Ends every stream, so that open subscriptions complete on shutdown. */
  complete(): void {
    this.bySymbol.complete();
    this.everyEvent.complete();
  }
}
