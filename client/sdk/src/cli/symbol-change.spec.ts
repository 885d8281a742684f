import { changeSymbols } from './symbol-change.js';

describe('changeSymbols', () => {
  it('adds, removes or replaces, case-insensitively and without repeats', () => {
    expect(changeSymbols(['AAPL'], '+nvda, amd')).toEqual(['AAPL', 'NVDA', 'AMD']);
    expect(changeSymbols(['aapl', 'MSFT'], '+AAPL')).toEqual(['AAPL', 'MSFT']);
    expect(changeSymbols(['AAPL', 'MSFT'], '-msft')).toEqual(['AAPL']);
    expect(changeSymbols(['AAPL', 'MSFT'], ' TSLA,tsla ')).toEqual(['TSLA']);
  });

  it('ignores a line that names nothing or would leave no symbol', () => {
    expect(changeSymbols(['AAPL'], '')).toBeUndefined();
    expect(changeSymbols(['AAPL'], '+ ,')).toBeUndefined();
    expect(changeSymbols(['AAPL'], '-AAPL')).toBeUndefined();
  });
});
