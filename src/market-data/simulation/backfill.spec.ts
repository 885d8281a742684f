import { CANDLE_INTERVALS, type CandleInterval } from '@tickstream/client/contract';
import { backfill, BACKFILL_BARS } from './backfill.js';
import { DEFAULT_UNIVERSE, profileFor } from '../symbol-universe.js';

describe('backfill', () => {
  const until = Date.UTC(2026, 11, 2, 15, 30, 20, 500);
  const past = backfill(DEFAULT_UNIVERSE, 7, 50, until);

  it('makes at least BACKFILL_BARS bars of each interval for every symbol, oldest first', () => {
    expect([...past.keys()]).toEqual(DEFAULT_UNIVERSE.map((profile) => profile.symbol));
    for (const { bars } of past.values()) {
      for (const series of [bars['1s'], bars['1m']]) {
        expect(series.length).toBeGreaterThanOrEqual(BACKFILL_BARS);
      }
      for (const interval of Object.keys(CANDLE_INTERVALS) as CandleInterval[]) {
        const series = bars[interval];
        const seconds = CANDLE_INTERVALS[interval] / 1000;
        expect(series.every((bar) => bar.time % seconds === 0)).toBe(true);
        expect(series.at(-1)?.close).toBe(bars['1s'].at(-1)?.close);
        for (let i = 1; i < series.length; i++) {
          expect(series[i].time).toBeGreaterThan(series[i - 1].time);
        }
      }
      // A 1m bar for every minute, ending with the minute of the first live tick.
      const minutes = bars['1m'];
      expect(minutes.at(-1)?.time).toBe(Math.floor(until / 60_000) * 60);
      expect(minutes.every((bar, i) => i === 0 || bar.time - minutes[i - 1].time === 60)).toBe(
        true,
      );
    }
  });

  it('ends at each symbol’s first live price, opened the session at its first, in whole cents', () => {
    for (const profile of DEFAULT_UNIVERSE) {
      const made = past.get(profile.symbol);
      if (!made) {
        throw new Error(`no past for ${profile.symbol}`);
      }
      const { bars, day } = made;
      expect(bars['1s'].at(-1)?.close).toBe(profile.startPrice);
      expect(bars['1m'].at(-1)?.close).toBe(profile.startPrice);
      // The session is the past's: its open, high, low and volume are its 1m bars'.
      expect(day.open).toBe(bars['1m'][0].open);
      expect(day.high).toBe(Math.max(...bars['1m'].map(({ high }) => high)));
      expect(day.low).toBe(Math.min(...bars['1m'].map(({ low }) => low)));
      expect(day.volume).toBe(bars['1m'].reduce((sum, { volume }) => sum + volume, 0));
      expect(day.previousClose).toBeGreaterThan(0);
      expect(Math.round((day.previousClose ?? 0) * 100) / 100).toBe(day.previousClose);
      expect(day.lastTradeTs).toBeGreaterThanOrEqual((bars['1s'].at(-1)?.time ?? Infinity) * 1000);
      for (const bar of bars['1m']) {
        expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
        expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
        expect(Math.round(bar.close * 100) / 100).toBe(bar.close);
      }
    }
  });

  it('holds at most the budget of bars, whatever the number of symbols, the first ones whole', () => {
    const many = Array.from({ length: 12_000 }, (_, i) => profileFor(`S${i}`));
    const budget = { bars: 20_000, ms: 60_000 };
    const bounded = backfill(many, 7, 50, until, budget);
    const held = [...bounded.values()].reduce(
      (sum, { bars }) => sum + Object.values(bars).reduce((own, { length }) => own + length, 0),
      0,
    );
    const perSymbol = held / bounded.size;
    expect(held).toBeLessThanOrEqual(budget.bars);
    expect(held).toBeGreaterThan(budget.bars - 2 * perSymbol);
    expect(bounded.size).toBeGreaterThan(0);
    expect(bounded.size).toBeLessThan(many.length);
    expect([...bounded.keys()]).toEqual(many.slice(0, bounded.size).map(({ symbol }) => symbol));
  });

  it('stops when its time is up', () => {
    expect(backfill(DEFAULT_UNIVERSE, 7, 50, until, { bars: Infinity, ms: 0 }).size).toBe(0);
  });

  it('is the same for the same seed', () => {
    expect(backfill(DEFAULT_UNIVERSE, 7, 50, until)).toEqual(past);
  });
});
