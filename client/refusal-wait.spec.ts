import { refusalWaitMs } from './refusal-wait.js';

describe('refusalWaitMs', () => {
  it('waits what the server asked, within 0.1 to 60 s', () => {
    expect(refusalWaitMs(3_000)).toBe(3_000);
    expect(refusalWaitMs(0)).toBe(100);
    expect(refusalWaitMs(86_400_000)).toBe(60_000);
  });

  it('waits 2 s, or what the caller says, when the server said nothing usable', () => {
    expect(refusalWaitMs(undefined)).toBe(2_000);
    expect(refusalWaitMs(undefined, 8_000)).toBe(8_000);
  });
});
