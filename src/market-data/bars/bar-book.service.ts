import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  CANDLE_INTERVALS,
  compareEventIds,
  parseEventId,
  precedingId,
  type Candle,
  type CandleInterval,
  type EventId,
  type Quote,
} from '@tickstream/client/contract';
import type { Observable, Subscription } from 'rxjs';
import type { MarketEvent } from '../../bus/market-event.js';
import { SimulationStore } from '../simulation/simulation-store.js';
import type { SymbolPast } from '../simulation/symbol-past.js';
import { EventLog } from '../../bus/event-log.js';
import type { SymbolSelection } from '../../bus/latest-values.js';
import { AppConfig } from '../../config/app-config.js';
import { BarChanges, type BarChangeReader } from './bar-changes.js';
import { BarChannels } from './bar-channels.js';
import { BarEnds } from './bar-ends.js';
import { BarSeries } from './bar-series.js';
import { toBarUpdate, type BarUpdate, type HeldBar } from './bar-update.js';
import type { Bar } from './bar.js';

const INTERVALS = Object.keys(CANDLE_INTERVALS) as CandleInterval[];

/** A record of what `make` gives for every interval. */
const eachInterval = <T>(make: (interval: CandleInterval) => T): Record<CandleInterval, T> =>
  Object.fromEntries(INTERVALS.map((interval) => [interval, make(interval)])) as Record<
    CandleInterval,
    T
  >;

/**
 * How long after its end a bar stays open for ticks made before its end that reach the bus
 * after it: a tick's time is its maker's clock, its id the bus's.
 */
export const BAR_CLOSE_GRACE_MS = 500;

const isAfter = (id: EventId, than: EventId): boolean => compareEventIds(id, than) > 0;

/** How often an instance that has no past yet looks for the one the feed saved. */
const PAST_POLL_MS = 5_000;
/** Entries of the log read at a time when an instance makes its first bars whole. */
const REPLAY_PAGE = 1_000;

/** One symbol's bars. */
interface SymbolBars {
  series: Record<CandleInterval, BarSeries>;
}

/**
 * The bars of every symbol at every interval, made from the bus's events in the bus's order, so
 * that every instance makes the same bars. A tick goes into its bar; a bar closes when the bus's
 * clock (the time in the ids of its events, whatever their symbol) passes its end by
 * BAR_CLOSE_GRACE_MS, or, on a quiet bus, when this instance's clock does. Every change goes to
 * the streams that read the symbol's bars.
 *
 * A late tick (made before its bar's end by more than the grace) is folded in all the same: into
 * its bar as a correction while the bar is kept, or into a bar it opens, which the same event
 * closes. Neither looks at any other symbol.
 */
@Injectable()
export class BarBook implements OnModuleInit, OnModuleDestroy {
  private readonly symbols = new Map<string, SymbolBars>();
  private readonly channels = new BarChannels();
  /** Every change to the bars kept, in id order, for streams that resume. */
  private readonly changes = new BarChanges();
  /** The id of the last event taken: closing on the clock claims it. */
  private lastId: EventId | undefined;
  /** The ends of the bars opened, to close each when its time is over. */
  private readonly ends = new BarEnds();
  private timer: NodeJS.Timeout | undefined;
  /** The end the timer is set for: it is set again only when an earlier one comes. */
  private timerEnd = Infinity;
  private pastPoll: NodeJS.Timeout | undefined;
  /** The market's past was added: there is none to look for. */
  private hasPast = false;
  /** Bars posted on another instance reach this one through the simulation's store. */
  private postedPoll: NodeJS.Timeout | undefined;
  private postedSeen = 0;
  private subscription: Subscription | undefined;
  /** From when (ms) this book has seen every event: its bars that began before are not whole. */
  private ownFrom = Date.now();
  /** Live events that came while the log was read back at start. */
  private waiting: MarketEvent[] | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly config: AppConfig,
    private readonly simulation: SimulationStore,
  ) {}

  get subscriberCount(): number {
    return this.channels.subscriberCount;
  }

  async onModuleInit(): Promise<void> {
    this.waiting = [];
    this.subscription = this.log.allEvents.subscribe((event) =>
      this.waiting ? this.waiting.push(event) : this.take(event),
    );
    await this.readBack();
    // A simulated market that opens the log hands its past to the book of its own process, and
    // its holder saves the bars on the bus now and then; every other book (an edge's, a
    // standby's, a feed's that goes on from another) reads them, once there are some.
    if (this.config.BUS === 'redis') {
      this.postedSeen = await this.simulation.pastChanges().catch(() => 0);
      this.postedPoll = setInterval(() => this.takePosted(), PAST_POLL_MS).unref();
      this.lookForPast();
    }
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    clearTimeout(this.pastPoll);
    clearInterval(this.postedPoll);
    this.subscription?.unsubscribe();
    this.channels.complete();
  }

  /** Live changes to the bars of `symbol` at `interval`, or of every symbol without one. */
  bars(interval: CandleInterval, symbol?: string): Observable<BarUpdate> {
    return this.channels.of(interval, symbol);
  }

  /** The newest `limit` bars, oldest first; empty for a symbol that has not traded. */
  candles(symbol: string, interval: CandleInterval, limit: number): Candle[] {
    return this.symbols.get(symbol)?.series[interval].latest(limit) ?? [];
  }

  /**
   * The bars of `symbol` at `interval` that begin from `from` to `to` (s since the epoch, both
   * included), oldest first, at most `limit`; where the next of them begins; and the bars held.
   */
  candlesBetween(
    symbol: string,
    interval: CandleInterval,
    from: number,
    to: number,
    limit: number,
  ): { candles: Candle[]; next?: number; held?: { first: number; last: number } } {
    const series = this.symbols.get(symbol)?.series[interval];
    return series ? { ...series.between(from, to, limit), held: series.held } : { candles: [] };
  }

  /** The bars a fresh stream is sent as it goes live: the last closed and the open one of each. */
  current(symbols: SymbolSelection, intervals: readonly CandleInterval[]): BarUpdate[] {
    return this.held(symbols, intervals, (series) => series.current()).map(
      ({ symbol, interval, bar }) => toBarUpdate(symbol, interval, bar),
    );
  }

  /**
   * The bars of `symbols` at `intervals` changed after `after`, read a page at a time: what a
   * stream resuming from `after` may lack. Each read costs per change it passes, not per bar kept.
   */
  changesAfter(
    after: EventId,
    symbols: SymbolSelection,
    intervals: readonly CandleInterval[],
  ): BarChangeReader {
    return this.changes.after(after, symbols, intervals);
  }

  private held(
    symbols: SymbolSelection,
    intervals: readonly CandleInterval[],
    pick: (series: BarSeries) => Bar[],
  ): HeldBar[] {
    const names = symbols === 'all' ? [...this.symbols.keys()] : symbols;
    return names.flatMap((symbol) => {
      const bars = this.symbols.get(symbol);
      return bars
        ? intervals.flatMap((interval) =>
            pick(bars.series[interval]).map((bar) => ({ symbol, interval, bar })),
          )
        : [];
    });
  }

  /**
   * Puts the market's past before the bars made live; see BarSeries.addPast. Only the first past
   * counts: its own feed's, or the one it found saved.
   */
  addPast(past: ReadonlyMap<string, SymbolPast>): void {
    if (this.hasPast) {
      return;
    }
    this.hasPast = true;
    for (const [symbol, { bars }] of past) {
      const own = this.of(symbol);
      for (const interval of INTERVALS) {
        own.series[interval].addPast(bars[interval] ?? [], this.ownFrom);
        this.noteEnd(symbol, interval, own.series[interval]);
      }
    }
    this.schedule();
  }

  /** Bars of `symbol` at `interval` from outside; see BarSeries.addBars. Returns how many it took. */
  addBars(symbol: string, interval: CandleInterval, candles: readonly Candle[]): number {
    return this.of(symbol).series[interval].addBars(candles);
  }

  /** Every symbol's bars, as an instance that starts later takes them. */
  past(): Map<string, SymbolPast> {
    return new Map(
      [...this.symbols].map(([symbol, { series }]) => [
        symbol,
        { bars: eachInterval((interval) => series[interval].candles()) },
      ]),
    );
  }

  /**
   * Reads the log back to the start of the current day (the longest interval's open bar), where
   * the bus still holds it, so that an instance starting mid-bar makes its open bars whole; then
   * takes what came live meanwhile. Where the log does not reach back, the bars this instance saw
   * only part of give way to the past another instance saved (see addPast).
   */
  private async readBack(): Promise<void> {
    const longest = Math.max(...Object.values(CANDLE_INTERVALS));
    const start = precedingId(`${Math.floor(Date.now() / longest) * longest}-0`);
    try {
      const floor = await this.log.historyFloor();
      let cursor = isAfter(floor, start) ? floor : start;
      const from = parseEventId(cursor)?.ms ?? Date.now();
      for (;;) {
        const page = await this.log.history(cursor, () => true, REPLAY_PAGE);
        page.events.forEach((event) => this.take(event));
        cursor = page.next;
        if (page.end) {
          break;
        }
      }
      // Bars that began before the log reaches back hold only part of their ticks.
      this.ownFrom = from + 1;
    } catch {
      // The log does not reach back so far (or the bus is away): bars begin with what comes.
    }
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    waiting.forEach((event) => this.take(event));
  }

  /** Takes the bars posted on any instance since it last looked; see addBars. */
  private takePosted(): void {
    const take = async (): Promise<void> => {
      const changes = await this.simulation.pastChanges();
      if (changes === this.postedSeen) {
        return;
      }
      this.postedSeen = changes;
      for (const [symbol, { bars }] of await this.simulation.loadPast()) {
        for (const interval of INTERVALS) {
          this.addBars(symbol, interval, bars[interval] ?? []);
        }
      }
    };
    take().catch(() => {
      // The bus is away: the next look comes round.
    });
  }

  private take(event: MarketEvent): void {
    // On the Redis bus the instance's read loop may hand on, after the log was read back at
    // start, events that the reading took already.
    if (this.lastId !== undefined && !isAfter(event.id, this.lastId)) {
      return;
    }
    this.lastId = event.id;
    if (event.kind === 'tick') {
      this.fold(event.symbol, this.of(event.symbol), event.quote, event.id);
    }
    // After the fold: a bar that a late tick opened, already over, closes with the same event.
    this.closeUntil((parseEventId(event.id)?.ms ?? Date.now()) - BAR_CLOSE_GRACE_MS, event.id);
  }

  private fold(symbol: string, bars: SymbolBars, quote: Quote, id: EventId): void {
    for (const interval of INTERVALS) {
      const series = bars.series[interval];
      const end = series.openEnd;
      this.publish(symbol, interval, series.add(quote, id));
      if (series.openEnd !== end) {
        this.noteEnd(symbol, interval, series);
      }
    }
  }

  private lookForPast(): void {
    if (this.hasPast) {
      return;
    }
    const again = (): void => {
      this.pastPoll = setTimeout(() => this.lookForPast(), PAST_POLL_MS).unref();
    };
    // The feed of this process may have added its own past while the bus was asked.
    this.simulation
      .loadPast()
      .then((past) => (past.size > 0 ? this.addPast(past) : again()), again);
  }

  /** Closes every open bar that ended by `until`, `by` the event that says so. */
  private closeUntil(until: number, by: EventId): void {
    for (let due = this.ends.takeBy(until); due; due = this.ends.takeBy(until)) {
      const { end, symbol, interval } = due;
      const series = this.symbols.get(symbol)?.series[interval];
      // Its bar may have closed already, when a later tick opened the next.
      if (series?.openEnd === end) {
        this.publish(symbol, interval, [series.close(by)]);
      }
    }
    this.schedule();
  }

  private noteEnd(symbol: string, interval: CandleInterval, series: BarSeries): void {
    const end = series.openEnd;
    if (end !== undefined) {
      this.ends.add({ end, symbol, interval });
    }
  }

  /** Keeps the timer that closes the earliest open bar on a quiet bus. */
  private schedule(): void {
    const end = this.ends.earliest;
    if (end === this.timerEnd) {
      return;
    }
    clearTimeout(this.timer);
    this.timerEnd = end;
    if (end !== Infinity) {
      const due = end + BAR_CLOSE_GRACE_MS - Date.now();
      this.timer = setTimeout(() => this.closeOnClock(), Math.max(0, due));
      this.timer.unref();
    }
  }

  private closeOnClock(): void {
    // Until an event has come there is none to close by: the first event sets the timer again.
    this.timerEnd = Infinity;
    if (this.lastId !== undefined) {
      this.closeUntil(Date.now() - BAR_CLOSE_GRACE_MS, this.lastId);
    }
  }

  private publish(symbol: string, interval: CandleInterval, changed: (Bar | undefined)[]): void {
    if (!this.channels.wanted(interval, symbol)) {
      return;
    }
    for (const bar of changed) {
      if (bar) {
        this.channels.emit(toBarUpdate(symbol, interval, bar));
      }
    }
  }

  private of(symbol: string): SymbolBars {
    let bars = this.symbols.get(symbol);
    if (!bars) {
      const { CANDLE_HISTORY, CANDLE_HISTORY_BY_INTERVAL } = this.config;
      bars = {
        series: eachInterval(
          (interval) =>
            new BarSeries(
              { symbol, interval },
              CANDLE_HISTORY_BY_INTERVAL[interval] ?? CANDLE_HISTORY,
              this.changes,
            ),
        ),
      };
      this.symbols.set(symbol, bars);
    }
    return bars;
  }
}
