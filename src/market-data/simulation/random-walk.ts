import type { Quote } from '@tickstream/client/contract';
import { SeededRandom } from './seeded-random.js';
import type { SymbolProfile } from '../symbol-universe.js';

const TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;
const SPREAD_FRACTION = 0.0002;
const MIN_PRICE = 0.01;
/** The spread of a jump's size: a move of a few percent, as news brings. */
const JUMP_SIGMA = 0.04;

/**
 * The change of a price's logarithm over `seconds` of trading, for a symbol of annualised
 * `volatility`: a geometric Brownian motion without drift.
 */
export function logReturn(volatility: number, seconds: number, random: SeededRandom): number {
  const years = seconds / TRADING_SECONDS_PER_YEAR;
  return -0.5 * volatility * volatility * years + volatility * Math.sqrt(years) * random.normal();
}

/** A trade's size: mostly round lots, sometimes an odd lot, now and then a block. */
export function tradeSize(random: SeededRandom): number {
  const draw = random.next();
  if (draw < 0.25) {
    return 1 + Math.floor(random.next() * 99);
  }
  const lots = 1 + Math.floor(-Math.log(1 - random.next()) * (draw > 0.97 ? 50 : 3));
  return lots * 100;
}

/**
 * A market of geometric Brownian motions, one per symbol, with now and then a jump (news) when
 * `jumpsPerHour` says so. Symbols trade in proportion to their activity, and each step covers the
 * simulated time since the symbol last traded, so a seed fixes the whole sequence of quotes
 * whatever the wall clock does.
 */
export class RandomWalk {
  private readonly random: SeededRandom;
  /** The sizes at the bid and ask, drawn apart so that the walk of prices stays the same. */
  private readonly book: SeededRandom;
  private readonly profiles: readonly SymbolProfile[];
  private readonly cumulativeActivity: number[];
  private readonly prices: number[];
  private readonly lastTradeAt: number[];
  private readonly secondsPerTick: number;
  private elapsed = 0;

  constructor(
    profiles: readonly SymbolProfile[],
    seed: number,
    ticksPerSecond: number,
    /** Jumps per symbol per hour of trading, on average; none by default. */
    private readonly jumpsPerHour = 0,
  ) {
    if (profiles.length === 0) {
      throw new Error('a random walk needs at least one symbol');
    }
    this.random = new SeededRandom(seed);
    this.book = new SeededRandom(seed ^ 0x5bd1e995);
    this.profiles = profiles;
    this.prices = profiles.map((profile) => profile.startPrice);
    this.lastTradeAt = profiles.map(() => 0);
    this.secondsPerTick = 1 / Math.max(ticksPerSecond, 1);
    let total = 0;
    this.cumulativeActivity = profiles.map((profile) => (total += profile.activity));
  }

  /**
   * Goes on from `quotes` (a feed's latest, as the log holds them) rather than from the prices
   * this walk reached, so that a feed taking over from another moves on from where that one was,
   * with no jump. Returns how many of the walk's symbols it found there.
   */
  continueFrom(quotes: readonly Quote[]): number {
    const byIndex = new Map(this.profiles.map(({ symbol }, index) => [symbol, index]));
    let found = 0;
    for (const { symbol, price } of quotes) {
      const index = byIndex.get(symbol);
      if (index !== undefined) {
        this.prices[index] = price;
        found += 1;
      }
    }
    return found;
  }

  /** One quote per symbol at its start price: the session's opening prints. */
  openingQuotes(ts: number): Quote[] {
    return this.profiles.map((_, index) => this.quote(index, ts));
  }

  /** The next trade: a symbol drawn by activity, its price moved over the time since its last. */
  next(ts: number): Quote {
    this.elapsed += this.secondsPerTick;
    const index = this.pickSymbol();
    const seconds = this.elapsed - this.lastTradeAt[index];
    let move = logReturn(this.profiles[index].volatility, seconds, this.random);
    if (
      this.jumpsPerHour > 0 &&
      this.random.next() < 1 - Math.exp((-this.jumpsPerHour * seconds) / 3600)
    ) {
      move += JUMP_SIGMA * this.random.normal();
    }
    this.prices[index] = Math.max(MIN_PRICE, this.prices[index] * Math.exp(move));
    this.lastTradeAt[index] = this.elapsed;
    return this.quote(index, ts);
  }

  private pickSymbol(): number {
    const target = this.random.next() * this.cumulativeActivity[this.cumulativeActivity.length - 1];
    let low = 0;
    let high = this.cumulativeActivity.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulativeActivity[mid] > target) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Prices in whole cents, so bid <= price <= ask holds exactly. */
  private quote(index: number, ts: number): Quote {
    const cents = Math.max(1, Math.round(this.prices[index] * 100));
    const spread = Math.max(1, Math.round(cents * SPREAD_FRACTION * (0.5 + this.random.next())));
    const bid = Math.max(1, cents - Math.floor(spread / 2));
    return {
      symbol: this.profiles[index].symbol,
      kind: 'trade',
      price: cents / 100,
      bid: bid / 100,
      ask: (bid + spread) / 100,
      size: tradeSize(this.random),
      bidSize: tradeSize(this.book),
      askSize: tradeSize(this.book),
      ts,
    };
  }
}
