import { formatAge, formatChange, formatPercent, formatPrice, signOf } from './format.js';

describe('number formats', () => {
  it('show prices to the cent with thousands separators', () => {
    expect(formatPrice(1234.5)).toBe('1,234.50');
    expect(formatPrice(0.004)).toBe('0.00');
  });

  it('sign changes, but not a zero change', () => {
    expect(formatChange(0.1)).toBe('+0.10');
    expect(formatChange(-2)).toBe('-2.00');
    expect(formatChange(0)).toBe('0.00');
    expect(formatPercent(0.01234)).toBe('+1.23%');
    expect(formatPercent(-0.5)).toBe('-50.00%');
  });

  it('give a change the direction it shows, flat when it rounds to zero', () => {
    expect(signOf(formatChange(0.006))).toBe('up');
    expect(signOf(formatChange(-0.006))).toBe('down');
    expect(signOf(formatChange(0.004))).toBe('flat');
    expect(signOf(formatChange(-0.004))).toBe('flat');
    expect(signOf(formatChange(228.63 - 228.62))).toBe('up');
  });

  it('say how long ago in tenths of a second, then seconds, then minutes', () => {
    expect(formatAge(-5)).toBe('0.0s');
    expect(formatAge(400)).toBe('0.4s');
    expect(formatAge(12_300)).toBe('12s');
    expect(formatAge(185_000)).toBe('3m 05s');
  });
});
