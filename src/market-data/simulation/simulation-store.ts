import type { Candle, CandleInterval, StatusData } from '@tickstream/client/contract';
import type { SymbolPast } from './symbol-past.js';

/**
 * What the simulated market keeps for the instances after it, outside the bus's contract (only
 * the simulator, the bar books and a feed posting bars need it): the recent past it made up and
 * the bars since, for charts, with the past bars a feed posted (POST /api/symbols/{symbol}/candles); and the last status it published of each symbol, so that a feed that takes over tells
 * the simulated market's halts and closes from a real feed's. Also the DI token.
 */
export abstract class SimulationStore {
  /** Keeps each symbol's past, replacing what was kept of it. */
  abstract savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void>;

  /** The market's past as last saved; empty until it has been. */
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

  /** Keeps `status` as the simulated market's last word on its symbol. */
  abstract saveStatus(status: StatusData): Promise<void>;

  /** The simulated market's last status of each symbol it has published one of. */
  abstract loadStatuses(): Promise<StatusData[]>;
}
