import {
  MAX_RECONNECT_DELAY_MS,
  MIN_RECONNECT_DELAY_MS,
  reconnectDelay,
} from './reconnect-delay.js';

const noJitter = () => 0;
const fullJitter = () => 1;

describe('reconnectDelay', () => {
  it("waits the server's retry first, then doubles up to the cap", () => {
    expect([1, 2, 3, 4].map((attempt) => reconnectDelay(attempt, 2000, noJitter))).toEqual([
      2000, 4000, 8000, 16000,
    ]);
    expect(reconnectDelay(5, 2000, noJitter)).toBe(MAX_RECONNECT_DELAY_MS);
    expect(reconnectDelay(60, 2000, noJitter)).toBe(MAX_RECONNECT_DELAY_MS);
  });

  it('never waits less than a retry above the cap, nor nothing for a retry of 0', () => {
    expect(reconnectDelay(3, 45_000, noJitter)).toBe(45_000);
    expect(reconnectDelay(1, 0, noJitter)).toBe(MIN_RECONNECT_DELAY_MS);
    expect(reconnectDelay(2, 0, noJitter)).toBe(2 * MIN_RECONNECT_DELAY_MS);
  });

  it('adds up to a fifth at random, never less than the base', () => {
    expect(reconnectDelay(1, 1000, fullJitter)).toBe(1200);
    expect(reconnectDelay(1, 1000, () => 0.5)).toBe(1100);
  });
});
