import type { Quote } from '@tickstream/client/contract';
import type { HistoryPage } from './history-page.js';
import { toTick } from './tick.js';
import { TickHistory } from './tick-history.js';

const quote = (symbol: string): Quote => ({
  symbol,
  kind: 'trade',
  price: 1,
  bid: 1,
  ask: 1,
  size: 1,
  bidSize: 100,
  askSize: 100,
  ts: 0,
});
const ids = (page: HistoryPage | undefined) => page?.events.map((event) => event.id);
const only =
  (...symbols: string[]) =>
  (symbol: string) =>
    symbols.includes(symbol);
const ALL = 1000;

describe('TickHistory', () => {
  it('returns the ticks after an id for the asked symbols, oldest first', () => {
    const history = new TickHistory(10, '5-0');
    ['A', 'B', 'A', 'C', 'A'].forEach((symbol, i) =>
      history.append(toTick(`5-${i + 1}`, quote(symbol))),
    );
    expect(ids(history.page('5-1', only('A'), ALL))).toEqual(['5-3', '5-5']);
    expect(ids(history.page('5-0', only('A', 'B'), ALL))).toEqual(['5-1', '5-2', '5-3', '5-5']);
    expect(ids(history.page('5-5', only('A'), ALL))).toEqual([]);
    expect(history.head).toBe('5-5');
  });

  it('reads a page of at most `limit` entries, and says where the next one starts', () => {
    const history = new TickHistory(10, '5-0');
    ['A', 'B', 'B', 'A', 'B'].forEach((symbol, i) =>
      history.append(toTick(`5-${i + 1}`, quote(symbol))),
    );
    const first = history.page('5-0', only('A'), 3);
    expect(first).toMatchObject({ next: '5-3', end: false });
    expect(ids(first)).toEqual(['5-1']);
    const second = history.page('5-3', only('A'), 3);
    expect(second).toMatchObject({ next: '5-5', end: true });
    expect(ids(second)).toEqual(['5-4']);
    expect(history.page('5-5', only('A'), 3)).toEqual({ events: [], next: '5-5', end: true });
  });

  it('evicts the oldest ticks beyond its capacity and refuses ids it no longer covers', () => {
    const history = new TickHistory(3, '5-0');
    for (let i = 1; i <= 5; i++) {
      history.append(toTick(`5-${i}`, quote('A')));
    }
    expect(history.size).toBe(3);
    // 5-1 and 5-2 are gone: resuming from before 5-2 would skip 5-2.
    expect(history.page('5-1', only('A'), ALL)).toBeUndefined();
    expect(ids(history.page('5-2', only('A'), ALL))).toEqual(['5-3', '5-4', '5-5']);
    expect(history.covers('5-0')).toBe(false);
  });

  it('refuses ids from before it started, from the future, or malformed', () => {
    const history = new TickHistory(3, '5-0');
    history.append(toTick('6-0', quote('A')));
    expect(history.covers('4-9')).toBe(false);
    expect(history.covers('6-1')).toBe(false);
    expect(history.covers('garbage')).toBe(false);
    expect(history.covers('5-0')).toBe(true);
  });

  it('covers its origin while empty', () => {
    const history = new TickHistory(3, '5-0');
    expect(history.head).toBe('5-0');
    expect(history.page('5-0', only('A'), ALL)).toEqual({ events: [], next: '5-0', end: true });
  });
});
