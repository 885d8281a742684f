import { DEFAULT_PARAMS, readParams, toQuery, type PageParams } from './page-params.js';

describe('page params', () => {
  it('default to a set of busy symbols at 250 ms, charted by the minute', () => {
    expect(readParams('')).toEqual(DEFAULT_PARAMS);
    expect(readParams('?symbols=,%20,&throttle=&interval=')).toEqual(DEFAULT_PARAMS);
  });

  it('read symbols upper-cased, trimmed and without repeats', () => {
    expect(readParams('?symbols=aapl,%20msft,,AAPL,brk.b&throttle=100&interval=1s')).toEqual({
      symbols: ['AAPL', 'MSFT', 'BRK.B'],
      throttle: 100,
      interval: '1s',
    });
  });

  it.each(['abc', '-1', '1.5', '60001'])('fall back to the default for throttle=%s', (value) => {
    expect(readParams(`?symbols=AAPL&throttle=${value}`).throttle).toBe(DEFAULT_PARAMS.throttle);
  });

  it.each(['3m', '1S', 'toString', ''])('fall back to the default for interval=%s', (value) => {
    expect(readParams(`?symbols=AAPL&interval=${value}`).interval).toBe(DEFAULT_PARAMS.interval);
  });

  it('write a readable query that reads back the same', () => {
    const params: PageParams = { symbols: ['BRK.B', 'AAPL'], throttle: 0, interval: '1s' };
    expect(toQuery(params)).toBe('?symbols=BRK.B,AAPL&throttle=0&interval=1s');
    expect(readParams(toQuery(params))).toEqual(params);
  });
});
