import { replayPoint } from './replay-point.js';

describe('replayPoint', () => {
  it('resumes just before the first id of the time asked for', () => {
    expect(replayPoint(1_000, '900-5', '1200-3')).toBe('999-9007199254740991');
  });

  it('takes the head when nothing that late has happened yet', () => {
    expect(replayPoint(1_500, '900-5', '1200-3')).toBe('1200-3');
  });

  it('is undefined when history begins at or after the time asked for', () => {
    expect(replayPoint(1_000, '1000-0', '1200-3')).toBeUndefined();
    expect(replayPoint(1_000, '1100-7', '1200-3')).toBeUndefined();
  });

  it('replays everything from the epoch only when nothing was ever evicted', () => {
    expect(replayPoint(0, '0-0', '1200-3')).toBe('0-0');
    expect(replayPoint(0, '900-5', '1200-3')).toBeUndefined();
  });
});
