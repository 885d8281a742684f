import { changeFromPreviousClose, dayAfterTrade, UNKNOWN_DAY, type DayFigures } from './day.js';

const session: DayFigures = {
  open: 100,
  high: 104,
  low: 99,
  volume: 500,
  previousClose: 98,
  lastTradeTs: 1_000,
};

describe("the day's figures", () => {
  it('open with the first trade and move with each one after', () => {
    const first = dayAfterTrade(
      { ...UNKNOWN_DAY, previousClose: 98 },
      { price: 101, size: 10, ts: 5 },
    );
    expect(first).toEqual({
      open: 101,
      high: 101,
      low: 101,
      volume: 10,
      previousClose: 98,
      lastTradeTs: 5,
    });
    const next = dayAfterTrade(first, { price: 97, size: 5, ts: 7 });
    expect(next).toEqual({
      open: 101,
      high: 101,
      low: 97,
      volume: 15,
      previousClose: 98,
      lastTradeTs: 7,
    });
  });

  it('stand for a quote without a trade, and keep the latest trade time for a late trade', () => {
    expect(dayAfterTrade(session, { price: 120, size: 0, ts: 9_000 })).toBe(session);
    expect(dayAfterTrade(session, { price: 101, size: 1, ts: 500 }).lastTradeTs).toBe(1_000);
  });

  it('begin another session after one ended, from the last price', () => {
    expect(dayAfterTrade(session, { price: 103, size: 2, ts: 2_000 }, true, 102.5)).toEqual({
      open: 103,
      high: 103,
      low: 103,
      volume: 2,
      previousClose: 102.5,
      lastTradeTs: 2_000,
    });
  });

  it('measure change from the previous close, unknown without one', () => {
    expect(changeFromPreviousClose(102.9, session)).toEqual({
      change: expect.closeTo(4.9, 10) as number,
      percent: expect.closeTo(5, 10) as number,
    });
    expect(changeFromPreviousClose(102.9, UNKNOWN_DAY)).toBeNull();
  });
});
