import type { Candle, CandleInterval, StatusData } from '@tickstream/client/contract';
import { SimulationStore } from './simulation-store.js';
import { withPostedBars, type SymbolPast } from './symbol-past.js';

/** One process's: its one feed knows all of it already; this keeps the contract the same. */
export class MemorySimulationStore extends SimulationStore {
  private past = new Map<string, SymbolPast>();
  private readonly statuses = new Map<string, StatusData>();
  private postedPasts = 0;

  savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    this.past = new Map([...this.past, ...past]);
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

  saveStatus(status: StatusData): Promise<void> {
    this.statuses.set(status.symbol, status);
    return Promise.resolve();
  }

  loadStatuses(): Promise<StatusData[]> {
    return Promise.resolve([...this.statuses.values()]);
  }
}
