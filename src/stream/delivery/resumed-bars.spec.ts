import type { EventId, Quote } from '@tickstream/client/contract';
import { toTick } from '../../bus/tick.js';
import { BarChanges } from '../../market-data/bars/bar-changes.js';
import { BarSeries } from '../../market-data/bars/bar-series.js';
import type { CatchUpPage } from './catch-up.js';
import { ResumedBars } from './resumed-bars.js';

const quote = (symbol: string, price: number, ts: number): Quote => ({
  symbol,
  price,
  bid: price,
  ask: price,
  size: 1,
  ts,
  kind: 'trade',
  bidSize: 0,
  askSize: 0,
});
/** A page of history: ticks of symbol T with the given ids. */
const page = (next: EventId, ...ids: EventId[]): CatchUpPage => ({
  events: ids.map((id) => toTick(id, quote('T', 1, 0))),
  next,
  end: false,
});
/** What a page carries: ticks by id, bars as symbol, time and the id they claim. */
const shown = ({ events }: CatchUpPage) =>
  events.map((item) =>
    item.kind === 'bar' ? `${item.symbol}@${item.bar.time}#${item.id}` : `tick#${item.id}`,
  );

describe('ResumedBars', () => {
  let changes: BarChanges;
  const series = (symbol: string) => new BarSeries({ symbol, interval: '1s' }, 100, changes);

  beforeEach(() => (changes = new BarChanges()));

  it('hands each bar out with the first page that reaches its last change, after the tick of it', () => {
    const a = series('A');
    const b = series('B');
    a.add(quote('A', 1, 1000), '2-0');
    b.add(quote('B', 1, 2000), '5-0');
    a.add(quote('A', 1, 3000), '9-0');
    const bars = new ResumedBars(changes.after('1-0', ['A', 'B'], ['1s']));
    expect(shown(bars.withPage('1-0', page('4-0', '2-0', '3-0')))).toEqual([
      'tick#2-0',
      'tick#3-0',
    ]);
    // A's bar of 1 s was closed by 9-0.
    expect(shown(bars.withPage('4-0', page('8-0', '6-0')))).toEqual(['B@2#5-0', 'tick#6-0']);
    expect(shown(bars.withPage('8-0', page('12-0')))).toEqual(['A@1#9-0', 'A@3#9-0']);
    expect(shown(bars.withPage('12-0', page('20-0')))).toEqual([]);
  });

  it('claims no more than the page began after for a change that reached the book late', () => {
    const bars = new ResumedBars(changes.after('1-0', 'all', ['1s']));
    expect(shown(bars.withPage('1-0', page('5-0')))).toEqual([]);
    series('A').add(quote('A', 1, 1000), '3-0');
    expect(shown(bars.withPage('5-0', page('8-0')))).toEqual(['A@1#5-0']);
  });
});
