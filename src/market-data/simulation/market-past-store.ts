import type { SymbolPast } from './symbol-past.js';

/**
 * Where the simulated market keeps the recent past it made up (and the bars since), for the
 * instances that start later: only the simulator and the bar books need it, so it is no part of
 * the bus's contract. Also the DI token.
 */
export abstract class MarketPastStore {
  /** Keeps each symbol's past, replacing what was kept of it. */
  abstract save(past: ReadonlyMap<string, SymbolPast>): Promise<void>;

  /** The market's past as last saved; empty until it has been. */
  abstract load(): Promise<Map<string, SymbolPast>>;
}
