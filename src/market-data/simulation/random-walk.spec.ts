import { RandomWalk } from './random-walk.js';
import { DEFAULT_UNIVERSE } from '../symbol-universe.js';

const take = (walk: RandomWalk, n: number) => Array.from({ length: n }, (_, i) => walk.next(i));

describe('RandomWalk', () => {
  it('is deterministic under a seed', () => {
    expect(take(new RandomWalk(DEFAULT_UNIVERSE, 42, 50), 500)).toEqual(
      take(new RandomWalk(DEFAULT_UNIVERSE, 42, 50), 500),
    );
    expect(take(new RandomWalk(DEFAULT_UNIVERSE, 43, 50), 50)).not.toEqual(
      take(new RandomWalk(DEFAULT_UNIVERSE, 42, 50), 50),
    );
  });

  it('goes on from the latest quotes it is given, for the symbols it trades', () => {
    const walk = new RandomWalk(DEFAULT_UNIVERSE, 42, 50);
    const latest = [
      {
        symbol: 'AAPL',
        price: 1234.56,
        bid: 1234.5,
        ask: 1234.6,
        size: 1,
        ts: 0,
        kind: 'trade' as const,
        bidSize: 0,
        askSize: 0,
      },
      {
        symbol: 'NOT-TRADED',
        price: 1,
        bid: 1,
        ask: 1.01,
        size: 1,
        ts: 0,
        kind: 'trade' as const,
        bidSize: 0,
        askSize: 0,
      },
    ];
    expect(walk.continueFrom(latest)).toBe(1);
    const aapl = take(walk, 2_000).find((quote) => quote.symbol === 'AAPL');
    expect(aapl?.price).toBeGreaterThan(1234.56 * 0.99);
    expect(aapl?.price).toBeLessThan(1234.56 * 1.01);
  });

  it('keeps prices positive, in whole cents, inside a spread of at least a cent', () => {
    const volatile = [{ symbol: 'X', name: 'X', startPrice: 0.05, volatility: 5, activity: 1 }];
    for (const profiles of [DEFAULT_UNIVERSE, volatile]) {
      const broken = take(new RandomWalk(profiles, 7, 1), 20_000).filter(
        (quote) =>
          !(
            quote.price >= 0.01 &&
            Math.round(quote.price * 100) / 100 === quote.price &&
            quote.bid > 0 &&
            quote.bid <= quote.price &&
            quote.price <= quote.ask &&
            quote.ask - quote.bid >= 0.0099 &&
            Number.isInteger(quote.size) &&
            quote.size > 0
          ),
      );
      expect(broken).toEqual([]);
    }
  });

  it('trades busy symbols more often than quiet ones', () => {
    const counts = new Map<string, number>();
    for (const { symbol } of take(new RandomWalk(DEFAULT_UNIVERSE, 1, 50), 20_000)) {
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect(counts.get('NVDA') ?? 0).toBeGreaterThan(5 * (counts.get('COST') ?? 0));
    expect(counts.size).toBe(DEFAULT_UNIVERSE.length);
  });

  it('moves prices by plausible amounts over a simulated day', () => {
    const walk = new RandomWalk(DEFAULT_UNIVERSE, 3, 5);
    const quotes = take(walk, 5 * 6.5 * 3600);
    const last = new Map(quotes.map((quote) => [quote.symbol, quote.price]));
    for (const profile of DEFAULT_UNIVERSE) {
      const move = Math.abs(Math.log((last.get(profile.symbol) ?? 0) / profile.startPrice));
      // Daily sigma is about volatility / sqrt(252): beyond eight sigmas something is wrong.
      expect(move).toBeLessThan((8 * profile.volatility) / Math.sqrt(252));
    }
  });
});
