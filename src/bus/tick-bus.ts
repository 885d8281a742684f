import type { DayFigures } from '@tickstream/client/contract';
import type { BusHealth } from './bus-health.js';
import { EventLog } from './event-log.js';
import type { LatestValues, Snapshot, SymbolSelection } from './latest-values.js';

/**
 * A bus is what implements the three small contracts (the log, the latest values, health) over
 * one store, memory or Redis: one object, given to each user under the contract it needs (see
 * BusModule). Also the DI token of that object.
 */
export abstract class TickBus extends EventLog implements LatestValues, BusHealth {
  abstract snapshot(symbols: SymbolSelection): Promise<Snapshot>;
  abstract startSessions(
    sessions: ReadonlyMap<string, DayFigures>,
    onlyNew?: boolean,
  ): Promise<void>;
  abstract readonly ready: boolean;
  abstract readonly location: string;
}
