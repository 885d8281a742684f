import type { Quote } from '@tickstream/client/contract';
import { BarChanges } from './bar-changes.js';
import { BarSeries } from './bar-series.js';

/** A series of symbol A at 1s or 1m, keeping `capacity` bars, telling a log of its own. */
const seriesOf = (intervalMs: 1000 | 60_000, capacity: number, changes = new BarChanges()) =>
  new BarSeries({ symbol: 'A', interval: intervalMs === 1000 ? '1s' : '1m' }, capacity, changes);

const quote = (price: number, size: number, ts: number): Quote => ({
  symbol: 'A',
  kind: size > 0 ? 'trade' : 'quote',
  price,
  bid: price,
  ask: price,
  size,
  bidSize: 100,
  askSize: 100,
  ts,
});
const ohlcv = (series: BarSeries) => series.latest(10);

describe('BarSeries', () => {
  it('folds quotes into OHLCV bars by interval; a new bar closes the one before', () => {
    const series = seriesOf(1000, 10);
    series.add(quote(10, 1, 5_000), '1-0');
    series.add(quote(12, 2, 5_400), '1-1');
    series.add(quote(9, 3, 5_999), '1-2');
    const changed = series.add(quote(11, 4, 7_001), '1-3');
    expect(changed.map(({ time, final, changedBy }) => [time, final, changedBy])).toEqual([
      [5, true, '1-3'],
      [7, false, '1-3'],
    ]);
    expect(ohlcv(series)).toEqual([
      { time: 5, open: 10, high: 12, low: 9, close: 9, volume: 6 },
      { time: 7, open: 11, high: 11, low: 11, close: 11, volume: 4 },
    ]);
    expect(series.openEnd).toBe(8_000);
  });

  it('gives the bars that begin in a range a page at a time, and says what it holds', () => {
    const series = seriesOf(60_000, 10);
    expect(series.held).toBeUndefined();
    for (const minute of [1, 2, 4, 5, 7]) {
      series.add(quote(minute, 1, minute * 60_000), `${minute}-0`);
    }
    const times = ({ candles, next }: ReturnType<BarSeries['between']>) => [
      candles.map((bar) => bar.time),
      next,
    ];
    expect(times(series.between(120, 420, 2))).toEqual([[120, 240], 300]);
    expect(times(series.between(300, 420, 2))).toEqual([[300, 420], undefined]);
    expect(times(series.between(121, 419, 10))).toEqual([[240, 300], undefined]);
    expect(times(series.between(0, 60, 10))).toEqual([[60], undefined]);
    expect(times(series.between(480, 600, 10))).toEqual([[], undefined]);
    expect(series.held).toEqual({ first: 60, last: 420 });
  });

  it('closes the open bar when told, and keeps only the newest bars', () => {
    const series = seriesOf(60_000, 3);
    for (let minute = 0; minute < 5; minute++) {
      series.add(quote(minute, 1, minute * 60_000), `${minute}-0`);
    }
    expect(series.close('9-0')).toMatchObject({ time: 240, final: true, changedBy: '9-0' });
    expect(series.open).toBeUndefined();
    expect(series.close('9-1')).toBeUndefined();
    expect(ohlcv(series).map((bar) => bar.time)).toEqual([120, 180, 240]);
  });

  it('corrects a closed bar it still keeps with a late quote, and ignores one for a bar it dropped', () => {
    const series = seriesOf(1000, 2);
    series.add(quote(10, 1, 1_000), '1-0');
    series.add(quote(10, 1, 2_000), '1-1');
    series.add(quote(10, 1, 3_000), '1-2');
    // Its time makes it the bar's last tick: the close, as if it had come in time.
    const [corrected] = series.add(quote(14, 5, 2_500), '1-3');
    expect(corrected).toMatchObject({ time: 2, high: 14, close: 14, volume: 6, final: true });
    // One between the bar's first and last ticks moves neither its open nor its close.
    series.add(quote(12, 1, 2_100), '1-4');
    expect(series.latest(2)[0]).toEqual({
      time: 2,
      open: 10,
      high: 14,
      low: 10,
      close: 14,
      volume: 7,
    });
    expect(series.add(quote(99, 1, 1_500), '1-5')).toEqual([]);
  });

  it('makes a closed bar where a late quote falls between the bars it keeps', () => {
    const series = seriesOf(1000, 3);
    series.add(quote(10, 1, 1_000), '1-0');
    series.add(quote(30, 1, 3_000), '1-1');
    expect(series.add(quote(20, 2, 2_400), '1-2')).toEqual([
      expect.objectContaining({ time: 2, open: 20, close: 20, volume: 2, final: true }),
    ]);
    expect(ohlcv(series).map((bar) => bar.time)).toEqual([1, 2, 3]);
    expect(series.open).toMatchObject({ time: 3 });
    // Full, it takes one before its oldest no more.
    expect(series.add(quote(5, 1, 500), '1-3')).toEqual([]);
    expect(series.between(0, 10, 10).candles.map((bar) => bar.time)).toEqual([1, 2, 3]);
  });

  it('says which bars a stream resuming from an id lacks, and which a fresh one gets', () => {
    const changes = new BarChanges();
    const series = seriesOf(1000, 10, changes);
    ['5-0', '6-0', '7-0'].forEach((id, i) => series.add(quote(1, 1, i * 1000), id));
    const since = (id: string) =>
      changes
        .after(id, 'all', ['1s'])
        .upTo('9-0')
        .map(({ bar }) => bar.time);
    // The bar of 0 s was last changed by 6-0, which closed it.
    expect(since('5-5')).toEqual([0, 1, 2]);
    expect(since('6-0')).toEqual([1, 2]);
    expect(since('7-0')).toEqual([]);
    expect(series.current().map(({ time, final }) => [time, final])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('takes the past’s bars before its own whole ones, and the past’s for one it saw only part of', () => {
    const series = seriesOf(60_000, 4);
    // Seen from 100 s on: the bar of 60 s is partial, the bar of 120 s whole.
    series.add(quote(30, 1, 100_000), '8-0');
    series.add(quote(20, 3, 120_000), '9-0');
    series.addPast(
      [
        { time: 0, open: 10, high: 11, low: 9, close: 11, volume: 1 },
        { time: 60, open: 11, high: 30, low: 10, close: 30, volume: 4 },
        { time: 120, open: 12, high: 21, low: 12, close: 19, volume: 2 },
      ],
      100_000,
    );
    expect(ohlcv(series)).toEqual([
      { time: 0, open: 10, high: 11, low: 9, close: 11, volume: 1 },
      { time: 60, open: 11, high: 30, low: 10, close: 30, volume: 4 },
      { time: 120, open: 20, high: 20, low: 20, close: 20, volume: 3 },
    ]);
    expect(series.open).toMatchObject({ time: 120 });
  });

  it('keeps a bar it saw only part of when the past has none of its time', () => {
    const series = seriesOf(1000, 4);
    series.add(quote(5, 1, 2_500), '8-0');
    series.addPast([{ time: 1, open: 4, high: 4, low: 4, close: 4, volume: 2 }], 2_600);
    expect(ohlcv(series).map(({ time, volume }) => [time, volume])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('goes on with the past’s last bar when it has none of its own', () => {
    const fresh = seriesOf(60_000, 2);
    fresh.addPast(
      [
        { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 },
        { time: 60, open: 1, high: 1, low: 1, close: 1, volume: 1 },
        { time: 120, open: 1, high: 1, low: 1, close: 1, volume: 1 },
      ],
      0,
    );
    // The newest bars of the past, the last still open for live ticks to go on with.
    expect(ohlcv(fresh).map((bar) => bar.time)).toEqual([60, 120]);
    expect(fresh.open).toMatchObject({ time: 120 });
  });

  it('takes posted bars where it has none made of ticks, never at or after its open bar', () => {
    const bar = (time: number, close: number) => ({
      time,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    });
    const series = seriesOf(1000, 5);
    series.add(quote(7, 1, 3_500), '9-0');
    // 3 is the open bar, made of a tick; 1 and 2 fill in; 4 is after the open bar.
    expect(series.addBars([bar(1, 1), bar(2, 2), bar(3, 3), bar(4, 4)])).toBe(2);
    expect(ohlcv(series).map(({ time, close }) => [time, close])).toEqual([
      [1, 1],
      [2, 2],
      [3, 7],
    ]);
    // A bar posted again replaces the one posted before; the bars made of ticks stay.
    series.close('9-1');
    expect(series.addBars([bar(2, 20), bar(3, 30), bar(4, 40)])).toBe(2);
    expect(ohlcv(series).map(({ time, close }) => [time, close])).toEqual([
      [1, 1],
      [2, 20],
      [3, 7],
      [4, 40],
    ]);
    // Full, it leaves out bars older than all it keeps.
    expect(series.addBars([bar(0, 0), bar(5, 5)])).toBe(1);
    expect(ohlcv(series).map(({ time }) => time)).toEqual([1, 2, 3, 4, 5]);
    expect(series.addBars([bar(0, 0)])).toBe(0);
  });
});
