import { LimitBands } from './limit-bands.js';

describe('LimitBands', () => {
  it('halts a symbol that moves out of its band from where it traded a window before', () => {
    const bands = new LimitBands(5, 60_000);
    expect(bands.check('A', 100, 0)).toBeUndefined();
    expect(bands.check('A', 104, 10_000)).toBeUndefined();
    expect(bands.check('A', 105.5, 20_000)).toBe('limit up-limit down: +5.5 % in 20 s (band 5 %)');
    expect(bands.check('B', 100, 0)).toBeUndefined();
    expect(bands.check('B', 94, 1_000)).toMatch(/^limit up-limit down: -6.0 % in 1 s/);
  });

  it('measures from the price a window before, not from the first', () => {
    const bands = new LimitBands(5, 60_000);
    for (let second = 0; second <= 120; second++) {
      // 0.08 % a second: 4.8 % a minute, inside the band, though 10 % over two minutes.
      expect(bands.check('A', 100 * 1.0008 ** second, second * 1000)).toBeUndefined();
    }
  });

  it('starts again around the reopening price', () => {
    const bands = new LimitBands(5, 60_000);
    bands.check('A', 100, 0);
    bands.reset('A');
    expect(bands.check('A', 110, 1_000)).toBeUndefined();
  });
});
