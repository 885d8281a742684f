import type { OnModuleDestroy } from '@nestjs/common';
import type {
  Candle,
  CandleInterval,
  DayFigures,
  EventId,
  Quote,
  StatusData,
} from '@tickstream/client/contract';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../config/app-config.js';
import { dayAfterState, dayAfterTick, type DayRecord } from './day-record.js';
import { EventIdClock } from './event-id-clock.js';
import type { HistoryPage } from './history-page.js';
import type { MarketEvent } from './market-event.js';
import { nextTurn, PUBLISH_SLICE, PublishTurns } from './publish-turns.js';
import { toStatusChange, type StatusChange } from './status-change.js';
import { withPostedBars, type SymbolPast } from './symbol-past.js';
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

/** The single-process bus: history, latest quotes, states and days in memory. */
export class MemoryTickBus extends TickBus implements OnModuleDestroy {
  private readonly clock = new EventIdClock();
  private readonly turns = new PublishTurns();
  private readonly streams = new SymbolStreams();
  private readonly latest = new Map<string, Quote>();
  private readonly states = new Map<string, StatusData>();
  private readonly days = new Map<string, DayRecord>();
  private readonly retained: TickHistory;
  private past = new Map<string, SymbolPast>();
  private postedPasts = 0;

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

  /**
   * A batch larger than a slice is published a slice per turn of the event loop, and any publish
   * asked for meanwhile waits for its end (PublishTurns): a batch is refused whole or published
   * whole, its ids in one order, nothing else among them.
   */
  publishAll(quotes: readonly Quote[], whenStopped: WhenStopped = 'refuse'): Promise<Tick[]> {
    if (this.turns.idle && quotes.length <= PUBLISH_SLICE) {
      // A refusal thrown in the executor rejects.
      return new Promise((resolve) =>
        resolve(this.publishSlice(quotes, whenStopped, 0, quotes.length, [])),
      );
    }
    return this.turns.inTurn(async () => {
      const ticks: Tick[] = [];
      for (let start = 0; start < quotes.length; start += PUBLISH_SLICE) {
        if (start > 0) {
          await nextTurn();
        }
        const end = Math.min(start + PUBLISH_SLICE, quotes.length);
        this.publishSlice(quotes, whenStopped, start, end, ticks);
      }
      return ticks;
    });
  }

  publishStatus(status: StatusData): Promise<StatusChange> {
    const publish = (): StatusChange => {
      const change = toStatusChange(this.clock.next(), status);
      this.states.set(status.symbol, status);
      this.keepDay(status.symbol, dayAfterState(this.days.get(status.symbol), status.state));
      this.append(change);
      return change;
    };
    return this.turns.idle
      ? Promise.resolve(publish())
      : this.turns.inTurn(() => Promise.resolve(publish()));
  }

  /**
   * Publishes `quotes[start..end)` into `ticks`. The first slice checks the whole batch: no state
   * changes while the batch's turn lasts, so what it found holds for every slice.
   */
  private publishSlice(
    quotes: readonly Quote[],
    whenStopped: WhenStopped,
    start: number,
    end: number,
    ticks: Tick[],
  ): Tick[] {
    if (start === 0 && whenStopped === 'refuse') {
      const stopped = quotes.find(({ symbol }) => this.stopped(symbol));
      if (stopped) {
        throw new SymbolStoppedError(stopped.symbol);
      }
    }
    for (let i = start; i < end; i++) {
      const quote = quotes[i];
      if (!this.stopped(quote.symbol)) {
        const tick = toTick(this.clock.next(), quote);
        const { symbol } = quote;
        this.keepDay(symbol, dayAfterTick(this.days.get(symbol), quote, this.latest.get(symbol)));
        this.latest.set(symbol, quote);
        this.append(tick);
        ticks.push(tick);
      }
    }
    return ticks;
  }

  startSessions(sessions: ReadonlyMap<string, DayFigures>, onlyNew = false): Promise<void> {
    for (const [symbol, figures] of sessions) {
      if (!onlyNew || !this.days.has(symbol)) {
        this.days.set(symbol, { ...figures, symbol, ended: false });
      }
    }
    return Promise.resolve();
  }

  private keepDay(symbol: string, record: DayRecord | undefined): void {
    if (record) {
      this.days.set(symbol, record);
    }
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
      symbols === 'all'
        ? [...new Set([...this.latest.keys(), ...this.states.keys(), ...this.days.keys()])]
        : symbols;
    return Promise.resolve({
      head: this.retained.head,
      quotes: asked.flatMap((symbol) => this.latest.get(symbol) ?? []),
      states: asked.flatMap((symbol) => this.states.get(symbol) ?? []),
      days: asked.flatMap((symbol) => this.days.get(symbol) ?? []),
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

  addPastBars(symbol: string, interval: CandleInterval, bars: readonly Candle[]): Promise<void> {
    const past = this.past.get(symbol) ?? { bars: {} };
    this.past.set(symbol, withPostedBars(past, interval, bars));
    this.postedPasts++;
    return Promise.resolve();
  }

  pastChanges(): Promise<number> {
    return Promise.resolve(this.postedPasts);
  }

  onModuleDestroy(): void {
    this.streams.complete();
  }

  private append(event: MarketEvent): void {
    this.retained.append(event);
    this.streams.emit(event);
  }
}
