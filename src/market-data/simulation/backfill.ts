import {
  CANDLE_INTERVALS,
  type Candle,
  type CandleInterval,
  type DayFigures,
} from '@tickstream/client/contract';
import type { SymbolPast } from './symbol-past.js';
import { logReturn, tradeSize } from './random-walk.js';
import { SeededRandom } from './seeded-random.js';
import type { SymbolProfile } from '../symbol-universe.js';

/** Bars of each interval the market's past holds at least, so a chart is full from the start. */
export const BACKFILL_BARS = 300;
/** The past covers this many minutes: the 1m bars, and a few more. */
const PAST_MINUTES = BACKFILL_BARS + 10;

const INTERVALS = Object.keys(CANDLE_INTERVALS) as CandleInterval[];

/**
 * Bars a symbol's past holds at most: BACKFILL_BARS of 1s, and at every other interval those that
 * PAST_MINUTES reach into (one more where they straddle a bar's start).
 */
const BARS_PER_PAST =
  BACKFILL_BARS +
  INTERVALS.filter((interval) => interval !== '1s').reduce(
    (sum, interval) => sum + Math.ceil((PAST_MINUTES * 60_000) / CANDLE_INTERVALS[interval]) + 1,
    0,
  );

/** A past the simulated market made: it has bars of every interval, and the session so far. */
export interface MadePast extends SymbolPast {
  bars: Record<CandleInterval, Candle[]>;
  day: DayFigures;
}

/** The move from the previous close to the session's open stands for this much trading time. */
const OVERNIGHT_SECONDS = 3_600;

/**
 * What making the past may cost, at most: bars held (each ~100 bytes, and held again by the bar
 * book and on the bus), and time (it runs before the process listens). Symbols past either bound
 * have no past: their charts begin with their live ticks. 12,000 symbols, unbounded, ran out of
 * memory at 4.3 GB before the process listened.
 */
export interface BackfillBudget {
  bars: number;
  ms: number;
}

/**
 * About 1,600 symbols' pasts, ~100 MB, in 5 s at most: a symbol's past takes 5 to 40 ms (the
 * latter on a loaded machine), so the built-in 24 symbols always have theirs.
 */
export const BACKFILL_BUDGET: BackfillBudget = { bars: 1_000_000, ms: 5_000 };
/** Trades a second a symbol makes in the past at least, and at most (a busier one's are folded). */
const MIN_TRADES_PER_SECOND = 0.1;
const MAX_TRADES_PER_SECOND = 4;
/** Before its last minutes, the past has one trade every this many seconds: 1m bars need no more. */
const COARSE_SECONDS = 10;

interface Trade {
  time: number;
  price: number;
  size: number;
}

/**
 * The market's recent past, made up at start from the same random walk the live market follows,
 * for each symbol: the trades of the last PAST_MINUTES minutes, made forward and then scaled so
 * that the last one is the symbol's first live price, and the bars they make. The session opens
 * at the first of them, some way from a previous close made up the same way. Symbols are taken in
 * order until `budget` runs out.
 */
export function backfill(
  profiles: readonly SymbolProfile[],
  seed: number,
  ticksPerSecond: number,
  until: number,
  budget: BackfillBudget = BACKFILL_BUDGET,
): Map<string, MadePast> {
  const totalActivity = profiles.reduce((sum, profile) => sum + profile.activity, 0);
  const deadline = Date.now() + budget.ms;
  const pasts = new Map<string, MadePast>();
  let bars = 0;
  for (const [index, profile] of profiles.entries()) {
    if (bars + BARS_PER_PAST > budget.bars || Date.now() >= deadline) {
      break;
    }
    const share = (ticksPerSecond * profile.activity) / Math.max(totalActivity, 1e-9);
    const random = new SeededRandom(seed + (index + 1) * 0x9e3779b9);
    const trades = pastTrades(profile, Math.max(share, MIN_TRADES_PER_SECOND), until, random);
    const byInterval = Object.fromEntries(
      INTERVALS.map((interval) => [interval, barsOf(trades, CANDLE_INTERVALS[interval])]),
    ) as Record<CandleInterval, Candle[]>;
    byInterval['1s'] = byInterval['1s'].slice(-BACKFILL_BARS);
    const previousClose = cents(
      trades[0].price * Math.exp(-logReturn(profile.volatility, OVERNIGHT_SECONDS, random)),
    );
    pasts.set(profile.symbol, { bars: byInterval, day: sessionOf(trades, previousClose) });
    bars += INTERVALS.reduce((sum, interval) => sum + byInterval[interval].length, 0);
  }
  return pasts;
}

function pastTrades(
  { startPrice, volatility }: SymbolProfile,
  perSecond: number,
  until: number,
  random: SeededRandom,
): Trade[] {
  const seconds = PAST_MINUTES * 60;
  const from = (Math.floor(until / 1000) - seconds) * 1000;
  // Trade by trade only where the 1s bars are (the last seconds, enough of them to have
  // BACKFILL_BARS bars with trades); before that, one trade every COARSE_SECONDS stands for them.
  const fine = Math.min(seconds, Math.ceil((BACKFILL_BARS / (1 - Math.exp(-perSecond))) * 1.25));
  const coarseSize = Math.max(1, perSecond * COARSE_SECONDS);
  const fineSize = Math.max(1, perSecond / MAX_TRADES_PER_SECOND);
  const trades: Trade[] = [];
  let log = 0;
  for (let second = 0; second < seconds; second++) {
    const time = from + second * 1000;
    if (second < seconds - fine) {
      if (second % COARSE_SECONDS === 0) {
        log += logReturn(volatility, COARSE_SECONDS, random);
        trades.push({ time, price: log, size: Math.round(tradeSize(random) * coarseSize) });
      }
      continue;
    }
    const count = poisson(Math.min(perSecond, MAX_TRADES_PER_SECOND), random);
    for (let trade = 0; trade < count; trade++) {
      log += logReturn(volatility, 1 / count, random);
      const at = time + Math.floor(((trade + 0.5) / count) * 1000);
      trades.push({ time: at, price: log, size: Math.round(tradeSize(random) * fineSize) });
    }
    if (count === 0) {
      log += logReturn(volatility, 1, random);
    }
  }
  // Prices were logarithms from 0: scaled so that the last trade is the first live price.
  const end = trades[trades.length - 1].price;
  for (const trade of trades) {
    trade.price = cents(startPrice * Math.exp(trade.price - end));
  }
  return trades;
}

function cents(price: number): number {
  return Math.max(0.01, Math.round(price * 100) / 100);
}

/** The session that `trades` make, from its first trade on. */
function sessionOf(trades: readonly Trade[], previousClose: number): DayFigures {
  const prices = trades.map(({ price }) => price);
  return {
    open: prices[0],
    high: Math.max(...prices),
    low: Math.min(...prices),
    volume: trades.reduce((sum, { size }) => sum + size, 0),
    previousClose,
    lastTradeTs: trades[trades.length - 1].time,
  };
}

/** The OHLCV bars of `trades`, oldest first. */
function barsOf(trades: readonly Trade[], intervalMs: number): Candle[] {
  const bars: Candle[] = [];
  for (const { time: ts, price, size } of trades) {
    const time = Math.floor(ts / intervalMs) * (intervalMs / 1000);
    const last = bars.at(-1);
    if (last && last.time === time) {
      last.high = Math.max(last.high, price);
      last.low = Math.min(last.low, price);
      last.close = price;
      last.volume += size;
    } else {
      bars.push({ time, open: price, high: price, low: price, close: price, volume: size });
    }
  }
  return bars;
}

/** A Poisson draw of mean `mean`, by Knuth's product of uniforms (the means here are small). */
function poisson(mean: number, random: SeededRandom): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random.next(); product > limit; product *= random.next()) {
    count++;
  }
  return count;
}
