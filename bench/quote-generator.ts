import type { Quote } from '@tickstream/client/contract';
import type { SymbolActivity } from './market.js';
import { SeededRandom } from './seeded-random.js';

/** How far a price moves in one tick of its symbol at most, as a fraction. */
const STEP = 0.001;
const SPREAD_FRACTION = 0.0002;

/** A start price from the symbol's letters, 10 to 500 dollars, the same on every run. */
function startPrice(symbol: string): number {
  let hash = 2166136261;
  for (const char of symbol) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  }
  return 10 + (hash % 49_000) / 100;
}

/**
 * The bench's own seeded market: each tick goes to a symbol drawn by activity, whose price takes
 * a small uniform random step. Quotes have the shape and size of tickstream's (prices in whole cents,
 * bid <= price <= ask), which is what a fan-out costs per event.
 */
export class QuoteGenerator {
  private readonly random: SeededRandom;
  private readonly cumulative: number[];
  private readonly cents: number[];

  constructor(
    private readonly symbols: readonly SymbolActivity[],
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
    let total = 0;
    this.cumulative = symbols.map(({ activity }) => (total += activity));
    this.cents = symbols.map(({ symbol }) => Math.round(startPrice(symbol) * 100));
  }

  /** One quote of every symbol: the opening prints, which snapshots start from. */
  opening(ts: number): Quote[] {
    return this.symbols.map((_, index) => this.quote(index, ts));
  }

  /** The next tick, of a symbol drawn by activity; undefined when every activity is 0. */
  next(ts: number): Quote | undefined {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    if (total <= 0) {
      return undefined;
    }
    const target = this.random.next() * total;
    const index = this.cumulative.findIndex((sum) => sum > target);
    const moved = this.cents[index] * (1 + STEP * (2 * this.random.next() - 1));
    this.cents[index] = Math.max(1, Math.round(moved));
    return this.quote(index, ts);
  }

  private quote(index: number, ts: number): Quote {
    const cents = this.cents[index];
    const spread = Math.max(1, Math.round(cents * SPREAD_FRACTION * (0.5 + this.random.next())));
    const bid = Math.max(1, cents - Math.floor(spread / 2));
    const lots = 1 + Math.floor(this.random.next() * 10);
    return {
      symbol: this.symbols[index].symbol,
      kind: 'trade',
      price: cents / 100,
      bid: bid / 100,
      ask: (bid + spread) / 100,
      size: lots * 100,
      bidSize: lots * 200,
      askSize: lots * 300,
      ts,
    };
  }
}
