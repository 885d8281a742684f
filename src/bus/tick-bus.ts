import { IntrinsicException, ServiceUnavailableException } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type {
  Candle,
  CandleInterval,
  DayFigures,
  EventId,
  Quote,
  StatusData,
} from '@tickstream/client/contract';
import type { DayRecord } from './day-record.js';
import type { HistoryPage } from './history-page.js';
import type { MarketEvent } from './market-event.js';
import type { StatusChange } from './status-change.js';
import type { SymbolPast } from './symbol-past.js';
import type { Tick } from './tick.js';

/** The latest quotes, states and days, and the id up to which they account for every event. */
export interface Snapshot {
  head: EventId;
  quotes: Quote[];
  /** The latest status of each asked symbol that has had a change of state. */
  states: StatusData[];
  /** The day of each asked symbol that has traded or had a session begun. */
  days: DayRecord[];
}

/** The symbols a snapshot is of: a list, or every symbol the bus has seen. */
export type SymbolSelection = readonly string[] | 'all';

/**
 * Raised when history no longer holds what a stream needs. A stream that ends with it is not an
 * internal failure, so it is not logged: the client comes back with its last id and is reset.
 */
export class HistoryGapError extends IntrinsicException {
  constructor(readonly after: EventId) {
    super(`history no longer holds the ticks after ${after}`);
  }
}

/**
 * Raised when a batch holds a tick of a halted or closed symbol and is to be refused: the bus,
 * which numbers ticks and status changes in one order, is where "a stopped symbol does not
 * tick" holds, whoever publishes.
 */
export class SymbolStoppedError extends Error {
  constructor(readonly symbol: string) {
    super(`${symbol} is not trading`);
  }
}

/** What publishing does with a tick of a halted or closed symbol. */
export type WhenStopped = 'refuse' | 'drop';

/** Raised when the bus cannot be reached (Redis down); clients get a 503 and try again. */
export class BusUnavailableError extends ServiceUnavailableException {
  constructor(cause: unknown) {
    super('the tick bus is unavailable, try again shortly', { cause });
  }
}

/**
 * The one place ticks flow through. It numbers them, keeps recent history and the latest quote
 * per symbol, and fans them out on one shared stream per symbol. Also the DI token.
 */
export abstract class TickBus {
  /**
   * Numbers the quotes in order and hands them to the subscribers of their symbols: all of
   * them or, when the bus fails, none. A quote of a halted or closed symbol refuses the batch
   * (SymbolStoppedError), or with `drop` is left out; what was published is returned.
   */
  abstract publishAll(quotes: readonly Quote[], whenStopped?: WhenStopped): Promise<Tick[]>;

  /** Numbers a change of a symbol's state and hands it on like a tick. */
  abstract publishStatus(status: StatusData): Promise<StatusChange>;

  /**
   * Begins the session of each symbol with the figures given (a feed's previous close and the
   * session so far); with `onlyNew`, only of a symbol whose day the bus does not hold yet.
   */
  abstract startSessions(
    sessions: ReadonlyMap<string, DayFigures>,
    onlyNew?: boolean,
  ): Promise<void>;

  /** Where the log is kept, for the start-up log: never a password. */
  abstract readonly location: string;

  /** Whether the bus can publish and deliver now; for readiness checks. */
  abstract readonly ready: boolean;

  /** Live events of one symbol; hot and shared. */
  abstract events(symbol: string): Observable<MarketEvent>;

  /** Live events of every symbol, in the bus's order. */
  abstract readonly allEvents: Observable<MarketEvent>;

  abstract snapshot(symbols: SymbolSelection): Promise<Snapshot>;

  /** Whether a client may resume from `id` without losing an event. */
  abstract canResumeFrom(id: EventId): Promise<boolean>;

  /** The oldest id history covers: every event after it is still held. */
  abstract historyFloor(): Promise<EventId>;

  /**
   * A page of history: the events of `wanted` symbols among the (at most) `limit` entries after
   * `after`, oldest first. Rejects with HistoryGapError when history no longer holds what
   * follows `after`.
   */
  abstract history(
    after: EventId,
    wanted: (symbol: string) => boolean,
    limit: number,
  ): Promise<HistoryPage>;

  /** Keeps what the feed knows of the market's recent past, for every instance to read. */
  abstract savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void>;

  /** The market's recent past, as the feed saved it; empty until it has. */
  abstract loadPast(): Promise<Map<string, SymbolPast>>;

  /**
   * Adds bars a feed posted to `symbol`'s past at `interval` (a posted bar replaces the past's of
   * its time), and counts the change, so that every instance takes them (see pastChanges).
   */
  abstract addPastBars(
    symbol: string,
    interval: CandleInterval,
    bars: readonly Candle[],
  ): Promise<void>;

  /** How many times bars were posted into the past: when it changes, the past holds new bars. */
  abstract pastChanges(): Promise<number>;

  /** Open subscriptions to per-symbol streams, for leak checks and metrics. */
  abstract readonly subscriberCount: number;

  /** Numbers one quote and hands it to every subscriber of its symbol. */
  async publish(quote: Quote): Promise<Tick> {
    const [tick] = await this.publishAll([quote]);
    return tick;
  }
}
