import { compareEventIds, isEventId, parseEventId, precedingId } from './event-id.js';

describe('event ids', () => {
  it('parse only the "<ms>-<seq>" shape', () => {
    expect(parseEventId('1700000000000-3')).toEqual({ ms: 1700000000000, seq: 3 });
    for (const bad of [
      '',
      '12',
      '12-',
      '-3',
      '1-2-3',
      'a-1',
      '1.5-2',
      ' 1-2',
      '99999999999999999-1',
    ]) {
      expect(parseEventId(bad)).toBeUndefined();
      expect(isEventId(bad)).toBe(false);
    }
    for (const bad of [undefined, 12, ['1-2'], '1-2\n', '1-2\r', '1-2\0', '１-2']) {
      expect(isEventId(bad)).toBe(false);
    }
    expect(isEventId('1700000000000-3')).toBe(true);
  });

  it('order by time, then by sequence, numerically', () => {
    expect(compareEventIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareEventIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareEventIds('10-10', '10-10')).toBe(0);
    expect(compareEventIds('11-0', '10-99')).toBeGreaterThan(0);
    expect(() => compareEventIds('10-0', 'x')).toThrow('cannot compare');
    expect(() => compareEventIds('-1', '10-0')).toThrow('cannot compare');
    expect(() => compareEventIds('a-1', '10-0')).toThrow('cannot compare');
  });

  it('have a predecessor, the largest id below them, itself a valid id', () => {
    expect(precedingId('1000-5')).toBe('1000-4');
    const beforeFirstOfItsMs = precedingId('1000-0');
    expect(parseEventId(beforeFirstOfItsMs)).toEqual({ ms: 999, seq: Number.MAX_SAFE_INTEGER });
    expect(compareEventIds(beforeFirstOfItsMs, '999-12345')).toBeGreaterThan(0);
    expect(compareEventIds(beforeFirstOfItsMs, '1000-0')).toBeLessThan(0);
    expect(() => precedingId('0-0')).toThrow();
  });
});
