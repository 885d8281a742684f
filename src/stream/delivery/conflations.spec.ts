import { asyncScheduler, Subject, type Observer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { toTick } from '../../bus/tick.js';
import type { Channel } from './channel.js';
import { Conflations } from './conflations.js';
import type { Frame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';

const tickOf = (symbol: string, seq: number) =>
  toTick(`1000-${seq}`, {
    symbol,
    price: seq,
    bid: seq,
    ask: seq,
    kind: 'trade',
    size: 1,
    bidSize: 100,
    askSize: 100,
    ts: seq,
  });
const channel = (symbol: string): Channel => ({ kind: 'events', symbol });

describe('Conflations', () => {
  it('spreads a throttle’s streams over its grids, each stream’s symbols on one, each kept to its window', () => {
    const windowMs = 1000;
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ flush }) => {
      const sources = new Map(['A', 'B'].map((symbol) => [symbol, new Subject<StreamItem>()]));
      const conflations = new Conflations(
        {
          sourceOf: (of) =>
            (of.kind === 'events' ? sources.get(of.symbol) : undefined) ?? new Subject(),
        },
        { superseded: () => undefined },
      );
      // 17 streams of A and B: the 17th shares the first one's grid.
      const released = Array.from({ length: 17 }, () => new Map<string, number[]>());
      const joined = released.map((times) => {
        const reader: Observer<Frame> = {
          next: ({ item }) => {
            const symbol = item?.kind === 'tick' ? item.symbol : '';
            times.set(symbol, [...(times.get(symbol) ?? []), asyncScheduler.now()]);
          },
          error: () => undefined,
          complete: () => undefined,
        };
        return conflations.join([channel('A'), channel('B')], windowMs, reader);
      });
      // A tick of each at 0 goes out at once; the next, at 999, waits for each grid's next point.
      for (const at of [0, 999]) {
        asyncScheduler.schedule(() => {
          sources.get('A')?.next(tickOf('A', at * 2));
          sources.get('B')?.next(tickOf('B', at * 2 + 1));
        }, at);
      }
      flush();
      expect(new Set(joined.map(([a]) => a)).size).toBe(16);
      expect(joined[16][0]).toBe(joined[0][0]);
      const second = released.map((times) => times.get('A')?.[1]);
      expect(new Set(second).size).toBe(16);
      for (const [i, times] of released.entries()) {
        // The stream's symbols go out together; never twice within the window, never late.
        expect(times.get('B')).toEqual(times.get('A'));
        expect(times.get('A')?.[0]).toBe(0);
        expect(second[i]).toBeGreaterThanOrEqual(windowMs);
        expect(second[i]).toBeLessThanOrEqual(999 + windowMs);
      }
    });
  });
});
