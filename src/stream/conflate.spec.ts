import { TestScheduler } from 'rxjs/testing';
import type { Tick } from '../bus/tick.js';
import { toTick } from '../bus/tick.js';
import { conflate, type Delivery } from './conflate.js';

function tick(symbol: string, seq: number): Tick {
  return toTick(`1000-${seq}`, { symbol, price: seq, bid: seq, ask: seq, size: 1, ts: seq });
}

const a1 = tick('A', 1);
const a2 = tick('A', 2);
const a3 = tick('A', 3);
const b4 = tick('B', 4);
const START = '1000-0';

function delivered(value: Tick, watermark = value.id): Delivery {
  return { tick: value, watermark };
}

describe('conflate', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('sends a tick in a quiet period at once (leading)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a', { a: a1 });
      expectObservable(source.pipe(conflate(10, START))).toBe('a', { a: delivered(a1) });
    });
  });

  it('holds ticks inside the window and sends only the latest at its end (trailing, latest wins)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 2ms b c', { a: a1, b: a2, c: a3 });
      expectObservable(source.pipe(conflate(10, START))).toBe('a 9ms c', {
        a: delivered(a1),
        c: delivered(a3),
      });
    });
  });

  it('never holds a tick longer than the window, and opens a new window after a trailing send', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // a at 0 goes out; b at 9 waits 1 ms; c at 11 falls in the window opened at 10 and waits to 20.
      const source = cold('a 8ms b 1ms c', { a: a1, b: a2, c: a3 });
      expectObservable(source.pipe(conflate(10, START))).toBe('a 9ms b 9ms c', {
        a: delivered(a1),
        b: delivered(a2),
        c: delivered(a3),
      });
    });
  });

  it('collapses a synchronous burst to its latest tick', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('(abc)', { a: a1, b: a2, c: a3 });
      expectObservable(source.pipe(conflate(10, START))).toBe('c', { c: delivered(a3) });
    });
  });

  it('throttles each symbol on its own', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a b', { a: a1, b: b4 });
      expectObservable(source.pipe(conflate(10, START))).toBe('a b', {
        a: delivered(a1),
        b: delivered(b4),
      });
    });
  });

  it('sends as watermark the newest id below every held tick', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // a2 is held from 1 to 10; b4, sent meanwhile, may not claim an id past a2's predecessor.
      const source = cold('a b c', { a: a1, b: a2, c: b4 });
      expectObservable(source.pipe(conflate(10, START))).toBe('a 1ms c 7ms b', {
        a: delivered(a1),
        c: delivered(b4, a1.id),
        b: delivered(a2, b4.id),
      });
    });
  });

  it('completes once held ticks are sent', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a b|', { a: a1, b: a2 });
      expectObservable(source.pipe(conflate(10, START))).toBe('a 9ms (b|)', {
        a: delivered(a1),
        b: delivered(a2),
      });
    });
  });

  it('with a window of 0 sends every tick with its own id', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('(abc)', { a: a1, b: a2, c: a3 });
      expectObservable(source.pipe(conflate(0, START))).toBe('(abc)', {
        a: delivered(a1),
        b: delivered(a2),
        c: delivered(a3),
      });
    });
  });

  it('cancels its timers when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('a b', { a: a1, b: a2 });
      expectObservable(source.pipe(conflate(10, START)), '^ 4ms !').toBe('a', { a: delivered(a1) });
    });
  });
});
