import fc from 'fast-check';
import { asyncScheduler, merge, Observable, Subject, type Observer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { toTick, type Tick } from '../../bus/tick.js';
import { ChannelConflation } from './channel-conflation.js';
import type { Frame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';
import { WindowClock } from './window-clock.js';

function tick(seq: number): Tick {
  return toTick(`1000-${seq}`, {
    symbol: 'A',
    price: seq,
    bid: seq,
    ask: seq,
    kind: 'trade',
    size: 1,
    bidSize: 100,
    askSize: 100,
    ts: seq,
  });
}

const [a1, a2, a3, a4] = [tick(1), tick(2), tick(3), tick(4)];

/** What one reader of `conflation` receives, as an Observable for marble tests. */
function read(conflation: ChannelConflation): Observable<Tick> {
  return new Observable<Tick>((subscriber) => {
    const reader: Observer<Frame> = {
      next: (frame) => subscriber.next(frame.item as Tick),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    };
    conflation.join(reader);
    return () => conflation.leave(reader);
  });
}

const noop = (): void => undefined;

/** A conflation under test: 10 ms windows, and its own clock and hooks unless given others. */
function conflate(
  ticks: Observable<StreamItem>,
  {
    windowMs = 10,
    offsetMs = 0,
    clock = new WindowClock(),
    onSuperseded = noop,
    onEnd = noop,
  }: {
    windowMs?: number;
    offsetMs?: number;
    clock?: WindowClock;
    onSuperseded?: (count: number) => void;
    onEnd?: () => void;
  } = {},
): ChannelConflation {
  return new ChannelConflation({
    items: ticks,
    windowMs,
    offsetMs,
    clock,
    counts: { superseded: onSuperseded },
    lease: { release: onEnd },
  });
}

describe('ChannelConflation', () => {
  let scheduler: TestScheduler;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('releases a tick in a quiet period at once (leading)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const conflation = conflate(cold('a', { a: a1 }));
      expectObservable(read(conflation)).toBe('a', { a: a1 });
    });
  });

  it('holds ticks inside the window and releases only the latest at its end', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const ticks = cold('a 2ms b c', { a: a1, b: a2, c: a3 });
      const conflation = conflate(ticks);
      expectObservable(read(conflation)).toBe('a 9ms c', { a: a1, c: a3 });
    });
  });

  it('never holds a tick longer than the window, and opens a new window after a trailing release', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // a at 0 goes out; b at 9 waits 1 ms; c at 11 falls in the window opened at 10 and waits to 20.
      const ticks = cold('a 8ms b 1ms c', { a: a1, b: a2, c: a3 });
      const conflation = conflate(ticks);
      expectObservable(read(conflation)).toBe('a 9ms b 9ms c', { a: a1, b: a2, c: a3 });
    });
  });

  it('brings a window opened off the grid onto it, never holding a tick longer than the window', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // a at 3 opens a window off the grid of 10s; b at 8 cannot wait for 20, so goes at 18; c
      // at 19 goes at 29; d at 30 can wait for 40 (it waits 10), so the window is on the grid.
      const values = { a: a1, b: a2, c: a3, d: a4 };
      const conflation = conflate(cold('3ms a 4ms b 10ms c 10ms d', values));
      expectObservable(read(conflation)).toBe('3ms a 14ms b 10ms c 10ms d', values);
    });
  });

  it('releases the symbols of one throttle together once their windows are on the grid', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const clock = new WindowClock();
      const b1 = toTick('1000-11', { ...a1.quote, symbol: 'B' });
      const b2 = toTick('1000-12', { ...a2.quote, symbol: 'B' });
      // A is on the grid from its first release at 0; B's quiet tick at 7 opens a window off it,
      // and its next tick, at 12, can wait for the grid point at 20, where A's tick of 14 goes.
      // What a point releases goes out in id order.
      const first = conflate(cold('a 1ms b 11ms c', { a: a1, b: a2, c: a3 }), { clock });
      const second = conflate(cold('7ms a 4ms b', { a: b1, b: b2 }), { clock });
      expectObservable(merge(read(first), read(second))).toBe('a 6ms b 2ms c 9ms (de)', {
        a: a1,
        b: b1,
        c: a2,
        d: a3,
        e: b2,
      });
    });
  });

  it('ends its windows on a grid shifted by its offset', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // a goes at once; b at 2 cannot wait for 14, the grid point past its window's end, and
      // goes at 12; c at 15 can wait for 24, on the grid of 10s past 4.
      const conflation = conflate(cold('a 1ms b 12ms c', { a: a1, b: a2, c: a3 }), { offsetMs: 4 });
      expectObservable(read(conflation)).toBe('a 11ms b 11ms c', { a: a1, b: a2, c: a3 });
    });
  });

  it('keeps the throttle’s promise on any grid: no two releases closer than the window, none stale, none late', () => {
    const windowMs = 10;
    const arrivals = fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(arrivals, fc.integer({ min: 0, max: windowMs - 1 }), (gaps, offsetMs) => {
        let at = 0;
        const ticks = gaps.map((gap, seq) => {
          at += gap;
          return { at, tick: tick(seq + 1) };
        });
        const released: { at: number; tick: Tick }[] = [];
        // A scheduler of its own: each run starts at time 0.
        new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
          ({ flush }) => {
            const items = new Observable<StreamItem>((subscriber) => {
              ticks.forEach(({ at, tick }) =>
                asyncScheduler.schedule(() => subscriber.next(tick), at),
              );
            });
            const conflation = conflate(items, { windowMs, offsetMs });
            read(conflation).subscribe((value) =>
              released.push({ at: asyncScheduler.now(), tick: value }),
            );
            flush();
          },
        );
        const order = released.map(({ tick }) => ticks.findIndex((each) => each.tick === tick));
        released.forEach((release, i) => {
          // Never two releases of the symbol closer than the throttle.
          expect(i === 0 || release.at - released[i - 1].at >= windowMs).toBe(true);
          // Never a stale price: none older than a tick that came before it went.
          const before = ticks.filter(({ at }) => at < release.at).length - 1;
          expect(order[i]).toBeGreaterThanOrEqual(before);
        });
        // Every tick goes out, or one after it does, within the window.
        ticks.forEach(({ at }, i) => {
          const next = order.findIndex((index) => index >= i);
          expect(next >= 0 && released[next].at - at <= windowMs).toBe(true);
        });
      }),
    );
  });

  it('collapses a synchronous burst to its latest tick', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const conflation = conflate(cold('(abc)', { a: a1, b: a2, c: a3 }));
      expectObservable(read(conflation)).toBe('c', { c: a3 });
    });
  });

  it('gives every reader every release, and counts what it superseded once per reader', () => {
    const superseded: number[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const ticks = cold('a 2ms b c', { a: a1, b: a2, c: a3 });
      const conflation = conflate(ticks, { onSuperseded: (n) => superseded.push(n) });
      expectObservable(read(conflation)).toBe('a 9ms c', { a: a1, c: a3 });
      expectObservable(read(conflation)).toBe('a 9ms c', { a: a1, c: a3 });
    });
    expect(superseded).toEqual([2]);
  });

  it('tells, while a tick waits, the id below the first tick of its run', () => {
    const ticks = new Subject<Tick>();
    const conflation = conflate(ticks, { windowMs: 60_000 });
    const received: Tick[] = [];
    const subscription = read(conflation).subscribe((value) => received.push(value));
    expect(conflation.pendingBelow).toBeUndefined();
    ticks.next(toTick('2000-0', a1.quote));
    expect(conflation.pendingBelow).toBe(`1999-${Number.MAX_SAFE_INTEGER}`);
    ticks.next(toTick('2000-5', a2.quote));
    expect(conflation.pendingBelow).toBe(`1999-${Number.MAX_SAFE_INTEGER}`);
    subscription.unsubscribe();
  });

  it('ends when its last reader leaves: source unsubscribed, window cancelled', () => {
    const ends: string[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const ticks = cold('a b', { a: a1, b: a2 });
      const conflation = conflate(ticks, { onEnd: () => ends.push('ended') });
      expectObservable(read(conflation), '^ 4ms !').toBe('a', { a: a1 });
      expectSubscriptions(ticks.subscriptions).toBe('^ 4ms !');
    });
    expect(ends).toEqual(['ended']);
  });

  it('passes an error of its source to every reader, and ends', () => {
    const ends: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const conflation = conflate(cold('a 4ms #', { a: a1 }), { onEnd: () => ends.push('ended') });
      expectObservable(read(conflation)).toBe('a 4ms #', { a: a1 });
      expectObservable(read(conflation)).toBe('a 4ms #', { a: a1 });
    });
    expect(ends).toEqual(['ended']);
  });
});
