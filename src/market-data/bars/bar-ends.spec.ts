import { BarEnds } from './bar-ends.js';

describe('BarEnds', () => {
  it('gives back the ends that are due, earliest first, and no other', () => {
    const ends = new BarEnds();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    times.forEach((end, i) => ends.add({ end, symbol: `S${i}`, interval: '1s' }));
    expect(ends.earliest).toBe(0);
    const taken: number[] = [];
    for (let due = ends.takeBy(499); due; due = ends.takeBy(499)) {
      taken.push(due.end);
    }
    expect(taken).toEqual(times.filter((end) => end <= 499).sort((a, b) => a - b));
    expect(ends.size).toBe(times.filter((end) => end > 499).length);
    expect(ends.earliest).toBeGreaterThan(499);
  });

  it('is empty to begin with', () => {
    const ends = new BarEnds();
    expect(ends.earliest).toBe(Infinity);
    expect(ends.takeBy(Infinity)).toBeUndefined();
  });
});
