import { CandleSeries } from './candle-series.js';

const quote = (price: number, size: number, ts: number) => ({
  symbol: 'A',
  price,
  bid: price,
  ask: price,
  size,
  ts,
});

describe('CandleSeries', () => {
  it('aggregates quotes into OHLCV bars by interval, oldest first', () => {
    const series = new CandleSeries(1000, 10);
    series.add(quote(10, 1, 5_000));
    series.add(quote(12, 2, 5_400));
    series.add(quote(9, 3, 5_999));
    series.add(quote(11, 4, 7_001));
    expect(series.latest(10)).toEqual([
      { time: 5, open: 10, high: 12, low: 9, close: 9, volume: 6 },
      { time: 7, open: 11, high: 11, low: 11, close: 11, volume: 4 },
    ]);
  });

  it('keeps only the newest bars, and limit counts from the newest', () => {
    const series = new CandleSeries(60_000, 3);
    for (let minute = 0; minute < 5; minute++) {
      series.add(quote(minute, 1, minute * 60_000));
    }
    expect(series.latest(10).map((bar) => bar.time)).toEqual([120, 180, 240]);
    expect(series.latest(2).map((bar) => bar.time)).toEqual([180, 240]);
  });

  it('ignores a late quote for a closed bar', () => {
    const series = new CandleSeries(1000, 10);
    series.add(quote(10, 1, 2_000));
    series.add(quote(99, 1, 1_500));
    expect(series.latest(10)).toEqual([
      { time: 2, open: 10, high: 10, low: 10, close: 10, volume: 1 },
    ]);
  });

  it('continues bars it is given, without changing the given copies', () => {
    const history = [
      { time: 1, open: 5, high: 6, low: 4, close: 6, volume: 2 },
      { time: 2, open: 6, high: 8, low: 6, close: 7, volume: 3 },
    ];
    const series = new CandleSeries(1000, 2, history);
    series.add(quote(9, 1, 2_500));
    series.add(quote(1, 1, 3_000));
    expect(series.latest(10)).toEqual([
      { time: 2, open: 6, high: 9, low: 6, close: 9, volume: 4 },
      { time: 3, open: 1, high: 1, low: 1, close: 1, volume: 1 },
    ]);
    expect(history[1].close).toBe(7);
  });
});
