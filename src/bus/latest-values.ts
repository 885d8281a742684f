import type { DayFigures, EventId, Quote, StatusData } from '@tickstream/client/contract';
import type { DayRecord } from './day-record.js';

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
 * The latest quote, trading state and day of each symbol, kept by the log in the same step as
 * each event it appends, so that a snapshot is consistent with the id it names. Also the DI token.
 */
export abstract class LatestValues {
  abstract snapshot(symbols: SymbolSelection): Promise<Snapshot>;

  /**
   * Begins the session of each symbol with the figures given (a feed's previous close and the
   * session so far); with `onlyNew`, only of a symbol whose day the bus does not hold yet.
   */
  abstract startSessions(
    sessions: ReadonlyMap<string, DayFigures>,
    onlyNew?: boolean,
  ): Promise<void>;
}
