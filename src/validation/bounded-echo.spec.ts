import fc from 'fast-check';
import { boundedEcho, ECHO_MAX_CHARS, ECHO_MAX_ENTRIES, MORE } from './bounded-echo.js';

/** Checks that `echo` is within the bounds, and says what it is made of. */
function expectBounded(echo: unknown): void {
  if (typeof echo === 'string') {
    expect(echo.length).toBeLessThanOrEqual(ECHO_MAX_CHARS + MORE.length);
  } else if (typeof echo === 'object' && echo !== null) {
    const entries = Object.entries(echo);
    expect(entries.length).toBeLessThanOrEqual(ECHO_MAX_ENTRIES + 1);
    for (const [key, value] of entries) {
      expect(key.length).toBeLessThanOrEqual(ECHO_MAX_CHARS + MORE.length);
      expect(typeof value === 'object' && value !== null).toBe(false);
      expectBounded(value);
    }
  }
}

describe('boundedEcho', () => {
  it('keeps short values as they are', () => {
    const tick = { symbol: 'AAPL', price: 1, bid: null, open: true };
    expect(boundedEcho(tick)).toEqual(tick);
    expect(boundedEcho(['AAPL', 'MSFT'])).toEqual(['AAPL', 'MSFT']);
    expect(boundedEcho('x'.repeat(ECHO_MAX_CHARS))).toBe('x'.repeat(ECHO_MAX_CHARS));
    expect(boundedEcho(-1.5)).toBe(-1.5);
  });

  it('cuts long strings, long lists and wide objects, and leaves nested values out', () => {
    expect(boundedEcho('x'.repeat(ECHO_MAX_CHARS + 1))).toBe(`${'x'.repeat(ECHO_MAX_CHARS)}…`);
    expect(boundedEcho(Array.from({ length: 50 }, (_, i) => i))).toEqual([
      ...Array.from({ length: ECHO_MAX_ENTRIES }, (_, i) => i),
      '…',
    ]);
    expect(boundedEcho([[1], { a: 1 }, 'x'])).toEqual(['…', '…', 'x']);
    expect(boundedEcho({ ['k'.repeat(300)]: 1 })).toEqual({
      [`${'k'.repeat(ECHO_MAX_CHARS)}…`]: 1,
    });
  });

  it('is bounded for any JSON value, however deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    expect(boundedEcho(deep)).toEqual(['…']);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => expectBounded(boundedEcho(value))),
      { numRuns: 500 },
    );
  });

  it('keeps a key named __proto__ as a plain key', () => {
    const echo = boundedEcho(JSON.parse('{"__proto__":{"polluted":1}}')) as object;
    expect(Object.getPrototypeOf(echo)).toBe(Object.prototype);
    expect(Object.keys(echo)).toEqual(['__proto__']);
  });
});
