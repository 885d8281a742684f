import { setTimeout as sleep } from 'node:timers/promises';
import { Deadlines } from './deadlines.js';

/** How many timers `run` sets: the real setTimeout, counted. */
function timersSetBy(run: () => void): number {
  const real = globalThis.setTimeout;
  let set = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof real>) => {
    set++;
    return real(...args);
  }) as typeof real;
  try {
    run();
  } finally {
    globalThis.setTimeout = real;
  }
  return set;
}

describe('Deadlines', () => {
  it('hands over each item once, in order of time, on one timer for all', async () => {
    const heard: number[] = [];
    const deadlines = new Deadlines<number>((item) => heard.push(item));
    const now = Date.now();
    // Set out of order: the heap puts them in order.
    const times = [40, 10, 30, 20, 10, 50];
    times.forEach((delay, item) => deadlines.set(item, now + delay));
    await sleep(80);
    expect(heard).toEqual([1, 4, 3, 2, 0, 5]);
    expect(deadlines.size).toBe(0);
    const many = Array.from({ length: 1000 }, (_, i) => 100 + i);
    const later = Date.now() + 20;
    expect(timersSetBy(() => many.forEach((item) => deadlines.set(item, later + item)))).toBe(1);
    await sleep(1200);
    expect(heard.slice(times.length)).toEqual(many);
  });

  it('never hands over an item deleted or moved before its time, and lets it go', async () => {
    const heard: string[] = [];
    const deadlines = new Deadlines<string>((item) => heard.push(item));
    const now = Date.now();
    ['a', 'b', 'c', 'd'].forEach((item, i) => deadlines.set(item, now + 10 + i));
    deadlines.delete('a');
    deadlines.delete('c');
    deadlines.set('b', now + 60_000);
    await sleep(40);
    expect(heard).toEqual(['d']);
    expect(deadlines.size).toBe(1);
    deadlines.delete('b');
    expect(deadlines.size).toBe(0);
  });

  it('waits past the longest delay a timer takes, rather than firing at once', async () => {
    const heard: string[] = [];
    const deadlines = new Deadlines<string>((item) => heard.push(item));
    deadlines.set('far', Date.now() + 30 * 24 * 3600 * 1000);
    await sleep(20);
    expect(heard).toEqual([]);
    deadlines.delete('far');
  });
});
