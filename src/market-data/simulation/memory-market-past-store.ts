import { MarketPastStore } from './market-past-store.js';
import type { SymbolPast } from './symbol-past.js';

/** One process's: the feed's own bar book has the past already; this is for the same contract. */
export class MemoryMarketPastStore extends MarketPastStore {
  private past = new Map<string, SymbolPast>();

  save(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    this.past = new Map([...this.past, ...past]);
    return Promise.resolve();
  }

  load(): Promise<Map<string, SymbolPast>> {
    return Promise.resolve(new Map(this.past));
  }
}
