import type { OnModuleDestroy } from '@nestjs/common';
import type { EventId, Quote, StatusData } from '@tickstream/client/contract';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../config/app-config.js';
import { EventIdClock } from './event-id-clock.js';
import type { HistoryPage } from './history-page.js';
import type { MarketEvent } from './market-event.js';
import { toStatusChange, type StatusChange } from './status-change.js';
import type { SymbolPast } from './symbol-past.js';
import { SymbolStreams } from './symbol-streams.js';
import {
  HistoryGapError,
  SymbolStoppedError,
  TickBus,
  type Snapshot,
  type SymbolSelection,
  type WhenStopped,
} from './tick-bus.js';
import { TickHistory } from './tick-history.js';
import { toTick, type Tick } from './tick.js';

/** The single-process bus: history, latest quotes and states in memory. */
export class MemoryTickBus extends TickBus implements OnModuleDestroy {
  private readonly clock = new EventIdClock();
  private readonly streams = new SymbolStreams();
  private readonly latest = new Map<string, Quote>();
  private readonly states = new Map<string, StatusData>();
  private readonly retained: TickHistory;
  private past = new Map<string, SymbolPast>();

  constructor(config: AppConfig) {
    super();
    this.retained = new TickHistory(config.HISTORY_SIZE, this.clock.origin);
  }

  get allEvents(): Observable<MarketEvent> {
    return this.streams.all;
  }

  get subscriberCount(): number {
    return this.streams.subscriberCount;
  }

  get location(): string {
    return "this process's memory";
  }

  get ready(): boolean {
    return true;
  }

  publishAll(quotes: readonly Quote[], whenStopped: WhenStopped = 'refuse'): Promise<Tick[]> {
    const stopped = quotes.find(({ symbol }) => this.stopped(symbol));
    if (stopped && whenStopped === 'refuse') {
      return Promise.reject(new SymbolStoppedError(stopped.symbol));
    }
    const ticks = quotes.flatMap((quote) => {
      if (this.stopped(quote.symbol)) {
        return [];
      }
      const tick = toTick(this.clock.next(), quote);
      this.latest.set(quote.symbol, quote);
      this.append(tick);
      return [tick];
    });
    return Promise.resolve(ticks);
  }

  publishStatus(status: StatusData): Promise<StatusChange> {
    const change = toStatusChange(this.clock.next(), status);
    this.states.set(status.symbol, status);
    this.append(change);
    return Promise.resolve(change);
  }

  private stopped(symbol: string): boolean {
    const state = this.states.get(symbol)?.state;
    return state !== undefined && state !== 'open';
  }

  events(symbol: string): Observable<MarketEvent> {
    return this.streams.of(symbol);
  }

  snapshot(symbols: SymbolSelection): Promise<Snapshot> {
    const asked =
      symbols === 'all' ? [...new Set([...this.latest.keys(), ...this.states.keys()])] : symbols;
    return Promise.resolve({
      head: this.retained.head,
      quotes: asked.flatMap((symbol) => this.latest.get(symbol) ?? []),
      states: asked.flatMap((symbol) => this.states.get(symbol) ?? []),
    });
  }

  /**
   * Ids belong to this process: one of another (beside it, or before a restart) may fall between
   * this one's floor and head by time, though none of its events is in this history.
   */
  canResumeFrom(id: EventId): Promise<boolean> {
    return Promise.resolve(this.clock.issued(id) && this.retained.covers(id));
  }

  historyFloor(): Promise<EventId> {
    return Promise.resolve(this.retained.oldest);
  }

  history(
    after: EventId,
    wanted: (symbol: string) => boolean,
    limit: number,
  ): Promise<HistoryPage> {
    const page = this.retained.page(after, wanted, limit);
    return page ? Promise.resolve(page) : Promise.reject(new HistoryGapError(after));
  }

  savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    this.past = new Map(past);
    return Promise.resolve();
  }

  loadPast(): Promise<Map<string, SymbolPast>> {
    return Promise.resolve(new Map(this.past));
  }

  onModuleDestroy(): void {
    this.streams.complete();
  }

  private append(event: MarketEvent): void {
    this.retained.append(event);
    this.streams.emit(event);
  }
}
