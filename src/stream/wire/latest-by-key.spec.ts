import { LatestByKey } from './latest-by-key.js';

interface Item {
  key: string;
  id: string;
}

describe('LatestByKey', () => {
  it('keeps the newest of each key, says when one was replaced, and hands them oldest first', () => {
    const latest = new LatestByKey<Item>((item) => item.id);
    expect(latest.set('A', { key: 'A', id: '5-0' })).toBe(false);
    expect(latest.set('B', { key: 'B', id: '4-0' })).toBe(false);
    expect(latest.set('A', { key: 'A', id: '6-0' })).toBe(true);
    // An older value never replaces a newer one.
    expect(latest.set('B', { key: 'B', id: '3-9' })).toBe(true);
    expect(latest.size).toBe(2);
    expect(latest.take()).toEqual([
      { key: 'B', id: '4-0' },
      { key: 'A', id: '6-0' },
    ]);
    expect(latest.size).toBe(0);
  });
});
