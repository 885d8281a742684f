import type { StatusData } from '@tickstream/client/contract';
import { SimulationStore } from './simulation-store.js';
import type { SymbolPast } from './symbol-past.js';

/** One process's: its one feed knows all of it already; this keeps the contract the same. */
export class MemorySimulationStore extends SimulationStore {
  private past = new Map<string, SymbolPast>();
  private readonly statuses = new Map<string, StatusData>();

  savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    this.past = new Map([...this.past, ...past]);
    return Promise.resolve();
  }

  loadPast(): Promise<Map<string, SymbolPast>> {
    return Promise.resolve(new Map(this.past));
  }

  saveStatus(status: StatusData): Promise<void> {
    this.statuses.set(status.symbol, status);
    return Promise.resolve();
  }

  loadStatuses(): Promise<StatusData[]> {
    return Promise.resolve([...this.statuses.values()]);
  }
}
