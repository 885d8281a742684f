import type { OnModuleDestroy } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../config/app-config.js';
import type { Quote, EventId } from '@tickstream/client/contract';
import { EventIdClock } from './event-id-clock.js';
import type { HistoryPage } from './history-page.js';
import { SymbolStreams } from './symbol-streams.js';
import { HistoryGapError, TickBus, type Snapshot } from './tick-bus.js';
import { TickHistory } from './tick-history.js';
import { toTick, type Tick } from './tick.js';

/** The single-process bus: history and latest quotes in memory. */
export class MemoryTickBus extends TickBus implements OnModuleDestroy {
  private readonly clock = new EventIdClock();
  private readonly streams = new SymbolStreams();
  private readonly latest = new Map<string, Quote>();
  private readonly retained: TickHistory;

  constructor(config: AppConfig) {
    super();
    this.retained = new TickHistory(config.HISTORY_SIZE, this.clock.origin);
  }

  get allTicks(): Observable<Tick> {
    return this.streams.all;
  }

  get subscriberCount(): number {
    return this.streams.subscriberCount;
  }

  get ready(): boolean {
    return true;
  }

  publishAll(quotes: readonly Quote[]): Promise<Tick[]> {
    const ticks = quotes.map((quote) => {
      const tick = toTick(this.clock.next(), quote);
      this.retained.append(tick);
      this.latest.set(quote.symbol, quote);
      this.streams.emit(tick);
      return tick;
    });
    return Promise.resolve(ticks);
  }

  ticks(symbol: string): Observable<Tick> {
    return this.streams.of(symbol);
  }

  snapshot(symbols: readonly string[]): Promise<Snapshot> {
    const quotes = symbols.flatMap((symbol) => this.latest.get(symbol) ?? []);
    return Promise.resolve({ head: this.retained.head, quotes });
  }

  canResumeFrom(id: EventId): Promise<boolean> {
    return Promise.resolve(this.retained.covers(id));
  }

  history(
    after: EventId,
    wanted: (symbol: string) => boolean,
    limit: number,
  ): Promise<HistoryPage> {
    const page = this.retained.page(after, wanted, limit);
    return page ? Promise.resolve(page) : Promise.reject(new HistoryGapError(after));
  }

  onModuleDestroy(): void {
    this.streams.complete();
  }
}
