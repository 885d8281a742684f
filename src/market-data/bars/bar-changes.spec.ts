import type { Quote } from '@tickstream/client/contract';
import { BarChanges } from './bar-changes.js';
import { BarSeries } from './bar-series.js';

const quote = (price: number, ts: number): Quote => ({
  symbol: 'A',
  price,
  bid: price,
  ask: price,
  size: 1,
  ts,
  kind: 'trade',
  bidSize: 0,
  askSize: 0,
});

/** What a read gave, as symbol, interval, bar time and the id of its last change. */
const shown = (bars: ReturnType<ReturnType<BarChanges['after']>['upTo']>) =>
  bars.map(({ symbol, interval, bar }) => `${symbol} ${interval} ${bar.time} ${bar.changedBy}`);

describe('BarChanges', () => {
  let changes: BarChanges;
  const series = (symbol: string, capacity = 100, interval: '1s' | '1m' = '1s') =>
    new BarSeries({ symbol, interval }, capacity, changes);

  beforeEach(() => (changes = new BarChanges()));

  it('reads the bars changed after an id a page at a time, each once as it stands, in id order', () => {
    const a = series('A');
    const b = series('B');
    a.add(quote(1, 0), '1-0');
    b.add(quote(1, 0), '2-0');
    a.add(quote(2, 0), '3-0');
    b.add(quote(2, 1000), '4-0');
    const reader = changes.after('1-0', 'all', ['1s']);
    // A's bar changed at 1-0 and again at 3-0: it is due at 3-0 only.
    expect(shown(reader.upTo('3-0'))).toEqual(['A 1s 0 3-0']);
    // B's first bar was closed by 4-0, which opened its next.
    expect(shown(reader.upTo('9-0'))).toEqual(['B 1s 0 4-0', 'B 1s 1 4-0']);
    expect(shown(reader.upTo('9-0'))).toEqual([]);
  });

  it('gives a bar that changed again after its page a second time, when its new change is due', () => {
    const a = series('A');
    a.add(quote(1, 0), '1-0');
    const reader = changes.after('0-0', 'all', ['1s']);
    expect(shown(reader.upTo('1-0'))).toEqual(['A 1s 0 1-0']);
    // The book took an event late: its id is before what the stream has read, its entry after.
    a.add(quote(2, 0), '2-0');
    expect(shown(reader.upTo('2-0'))).toEqual(['A 1s 0 2-0']);
  });

  it('reads only the symbols and intervals a stream asked for', () => {
    const a = series('A');
    const a1m = series('A', 100, '1m');
    const b = series('B');
    a.add(quote(1, 0), '1-0');
    a1m.add(quote(1, 0), '1-0');
    b.add(quote(1, 0), '2-0');
    expect(shown(changes.after('0-0', ['B'], ['1s']).upTo('9-0'))).toEqual(['B 1s 0 2-0']);
    expect(shown(changes.after('0-0', ['A'], ['1m']).upTo('9-0'))).toEqual(['A 1m 0 1-0']);
  });

  it('leaves out a bar its series no longer keeps', () => {
    const a = series('A', 2);
    [0, 1000, 2000].forEach((ts, n) => a.add(quote(1, ts), `${n + 1}-0`));
    expect(shown(changes.after('0-0', 'all', ['1s']).upTo('9-0'))).toEqual([
      'A 1s 1 3-0',
      'A 1s 2 3-0',
    ]);
  });

  it('holds about two entries per bar however often they change, and readers keep their place', () => {
    const a = series('A');
    a.add(quote(1, 0), '1-0');
    const reader = changes.after('0-0', 'all', ['1s']);
    expect(shown(reader.upTo('1-0'))).toEqual(['A 1s 0 1-0']);
    for (let n = 2; n <= 20_000; n++) {
      a.add(quote(n, 0), `${n}-0`);
    }
    expect(changes.size).toBeLessThan(5_000);
    expect(shown(reader.upTo('10000-0'))).toEqual([]);
    const [bar] = reader.upTo('20000-0');
    expect(bar.bar).toMatchObject({ changedBy: '20000-0', close: 20_000 });
    expect(reader.upTo('20000-0')).toEqual([]);
  });
});
