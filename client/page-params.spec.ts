import { DEFAULT_PARAMS, readParams, toQuery } from './page-params.js';

describe('page params', () => {
  it('default to a set of busy symbols at 250 ms', () => {
    expect(readParams('')).toEqual(DEFAULT_PARAMS);
    expect(readParams('?symbols=,%20,&throttle=')).toEqual(DEFAULT_PARAMS);
  });

  it('read symbols upper-cased, trimmed and without repeats', () => {
    expect(readParams('?symbols=aapl,%20msft,,AAPL,brk.b&throttle=100')).toEqual({
      symbols: ['AAPL', 'MSFT', 'BRK.B'],
      throttle: 100,
    });
  });

  it.each(['abc', '-1', '1.5', '60001'])('fall back to the default for throttle=%s', (value) => {
    expect(readParams(`?symbols=AAPL&throttle=${value}`).throttle).toBe(DEFAULT_PARAMS.throttle);
  });

  it('write a readable query that reads back the same', () => {
    const params = { symbols: ['BRK.B', 'AAPL'], throttle: 0 };
    expect(toQuery(params)).toBe('?symbols=BRK.B,AAPL&throttle=0');
    expect(readParams(toQuery(params))).toEqual(params);
  });
});
