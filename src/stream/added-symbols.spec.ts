import { addedSymbols } from './added-symbols.js';

describe('addedSymbols', () => {
  it('is the symbols asked for that the resume point was not received for', () => {
    const added = addedSymbols(['AAPL', 'MSFT', 'TSLA'], ['AAPL', 'NVDA']);
    expect(added?.selection).toEqual(['MSFT', 'TSLA']);
    expect(['AAPL', 'MSFT', 'NVDA', 'TSLA'].map((symbol) => added?.has(symbol))).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('is none when every symbol was had, or the client does not say', () => {
    expect(addedSymbols(['AAPL'], ['AAPL', 'MSFT'])).toBeUndefined();
    expect(addedSymbols(['AAPL'], undefined)).toBeUndefined();
    expect(addedSymbols('all', 'all')).toBeUndefined();
    expect(addedSymbols(['AAPL'], 'all')).toBeUndefined();
  });

  it('is every other symbol when a stream of some becomes one of every symbol', () => {
    const added = addedSymbols('all', ['AAPL']);
    expect(added?.selection).toBe('all');
    expect(added?.has('AAPL')).toBe(false);
    expect(added?.has('ZZZZ')).toBe(true);
  });
});
