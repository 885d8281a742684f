import type { EventId, Quote, StatusData } from '@tickstream/client/contract';

/** The latest quotes and states, and the id up to which they account for every event. */
export interface Snapshot {
  head: EventId;
  quotes: Quote[];
  /** The latest status of each asked symbol that has had a change of state. */
  states: StatusData[];
}

/** The symbols a snapshot is of: a list, or every symbol the bus has seen. */
export type SymbolSelection = readonly string[] | 'all';

/**
 * The latest quote and trading state of each symbol, kept by the log in the same step as each
 * event it appends, so that a snapshot is consistent with the id it names. Also the DI token.
 */
export abstract class LatestValues {
  abstract snapshot(symbols: SymbolSelection): Promise<Snapshot>;
}
