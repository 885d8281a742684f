import fc from 'fast-check';
import { compareEventIds, isEventId, parseEventId, precedingId } from './event-id.js';

/** A part of an id as the docs allow it: up to 16 digits, leading zeros included. */
const part = fc.stringMatching(/^\d{1,16}$/);
const id = fc.tuple(part, part).map(([ms, seq]) => `${ms}-${seq}`);
const exactly = (value: string) => BigInt(value.slice(0, value.indexOf('-')));
const exactSeq = (value: string) => BigInt(value.slice(value.indexOf('-') + 1));
const sign = (value: bigint) => (value === 0n ? 0 : value < 0n ? -1 : 1);

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
      '1-99999999999999999',
    ]) {
      expect(parseEventId(bad)).toBeUndefined();
      expect(isEventId(bad)).toBe(false);
    }
    for (const bad of [undefined, 12, ['1-2'], '1-2\n', '1-2\r', '1-2\0', '１-2']) {
      expect(isEventId(bad)).toBe(false);
    }
    expect(isEventId('1700000000000-3')).toBe(true);
  });

  it('are every "<ms>-<seq>" of up to 16 digits each, above 2^53 too', () => {
    fc.assert(fc.property(id, (value) => isEventId(value)));
    expect(isEventId('9999999999999999-9999999999999999')).toBe(true);
    // Not exact as numbers, so not parsed into them; still an id.
    expect(parseEventId('1-9007199254740993')).toBeUndefined();
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

  it('order exactly above 2^53, where numbers round two ids to one', () => {
    expect(compareEventIds('1-9007199254740992', '1-9007199254740993')).toBeLessThan(0);
    expect(compareEventIds('9007199254740993-0', '9007199254740992-5')).toBeGreaterThan(0);
    expect(compareEventIds('0009-1', '9-1')).toBe(0);
    fc.assert(
      fc.property(id, id, (a, b) => {
        const expected = sign(exactly(a) - exactly(b)) || sign(exactSeq(a) - exactSeq(b));
        expect(Math.sign(compareEventIds(a, b))).toBe(expected);
      }),
    );
  });

  it('have a predecessor, the largest id below them, itself a valid id', () => {
    expect(precedingId('1000-5')).toBe('1000-4');
    const beforeFirstOfItsMs = precedingId('1000-0');
    expect(parseEventId(beforeFirstOfItsMs)).toEqual({ ms: 999, seq: Number.MAX_SAFE_INTEGER });
    expect(compareEventIds(beforeFirstOfItsMs, '999-12345')).toBeGreaterThan(0);
    expect(compareEventIds(beforeFirstOfItsMs, '1000-0')).toBeLessThan(0);
    expect(() => precedingId('0-0')).toThrow();
  });

  it('have an exact predecessor above 2^53', () => {
    expect(precedingId('1-9007199254740993')).toBe('1-9007199254740992');
    expect(precedingId('9999999999999999-0')).toBe(`9999999999999998-${Number.MAX_SAFE_INTEGER}`);
    fc.assert(
      fc.property(id, (value) => {
        fc.pre(exactly(value) > 0n || exactSeq(value) > 0n);
        const before = precedingId(value);
        expect(isEventId(before)).toBe(true);
        expect(compareEventIds(before, value)).toBeLessThan(0);
      }),
    );
  });
});
