import { Subject } from 'rxjs';
import type { EventId } from '@tickstream/client/contract';
import type { Bar } from '../../market-data/bars/bar.js';
import { toBarUpdate, type HeldBar } from '../../market-data/bars/bar-update.js';
import type { StreamItem } from '../wire/stream-item.js';
import type { CatchUpPage } from './catch-up.js';
import { ResumedBars } from './resumed-bars.js';

const bar = (time: number, changedBy: EventId, close = 1): Bar => {
  const order = { ts: time * 1000, id: changedBy };
  return {
    time,
    open: 1,
    high: close,
    low: 1,
    close,
    volume: 1,
    final: false,
    changedBy,
    first: order,
    last: order,
  };
};
const held = (symbol: string, time: number, changedBy: EventId): HeldBar => ({
  symbol,
  interval: '1s',
  bar: bar(time, changedBy),
});
const page = (next: EventId, ...ids: EventId[]): CatchUpPage => ({
  events: ids.map((id) => ({ ...toBarUpdate('TICK', '1m', bar(0, id)), kind: 'bar' as const })),
  next,
  end: false,
});
/** What a page carries, as symbol, bar time and id. */
const shown = ({ events }: CatchUpPage) =>
  events.map((item) => (item.kind === 'bar' ? `${item.symbol}@${item.bar.time}#${item.id}` : ''));

describe('ResumedBars', () => {
  let live: Subject<StreamItem>;

  beforeEach(() => (live = new Subject<StreamItem>()));

  it('hands each held bar out with the first page that reaches its change, in id order', () => {
    // Held in no order: the book holds them by symbol and interval.
    const bars = new ResumedBars(
      [held('B', 2, '5-0'), held('A', 1, '2-0'), held('A', 3, '9-0')],
      live,
    );
    expect(shown(bars.withPage('1-0', page('4-0', '3-0')))).toEqual(['A@1#2-0', 'TICK@0#3-0']);
    expect(shown(bars.withPage('4-0', page('8-0')))).toEqual(['B@2#5-0']);
    expect(shown(bars.withPage('8-0', page('12-0')))).toEqual(['A@3#9-0']);
    expect(shown(bars.withPage('12-0', page('20-0')))).toEqual([]);
    bars.close();
  });

  it('sends a bar that changed again once, as it stands, when its last change falls due', () => {
    const bars = new ResumedBars([held('A', 1, '2-0')], live);
    live.next(toBarUpdate('A', '1s', bar(1, '6-0', 7)));
    expect(shown(bars.withPage('1-0', page('4-0')))).toEqual([]);
    const [sent] = bars.withPage('4-0', page('7-0')).events;
    expect(sent).toMatchObject({ id: '6-0', bar: { close: 7 } });
    expect(shown(bars.withPage('7-0', page('9-0')))).toEqual([]);
    bars.close();
  });

  it('claims no more than the page began after for a change that came late', () => {
    const bars = new ResumedBars([], live);
    live.next(toBarUpdate('A', '1s', bar(1, '3-0')));
    expect(shown(bars.withPage('5-0', page('8-0')))).toEqual(['A@1#5-0']);
    bars.close();
  });

  it('takes live changes that arrive out of order in their order', () => {
    const bars = new ResumedBars([], live);
    live.next(toBarUpdate('A', '1s', bar(1, '8-0')));
    live.next(toBarUpdate('B', '1s', bar(1, '3-0')));
    expect(shown(bars.withPage('1-0', page('5-0')))).toEqual(['B@1#3-0']);
    expect(shown(bars.withPage('5-0', page('9-0')))).toEqual(['A@1#8-0']);
    bars.close();
  });

  it('keeps one entry a bar however often it changes, and stops following on close', () => {
    const bars = new ResumedBars([], live);
    for (let i = 1; i <= 10_000; i++) {
      live.next(toBarUpdate('A', '1s', bar(1, `${i}-0`, i)));
    }
    const events = bars.withPage('0-0', page('10000-0')).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: '10000-0', bar: { close: 10_000 } });
    bars.close();
    expect(live.observed).toBe(false);
  });
});
