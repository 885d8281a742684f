import {
  dayAfterTrade,
  UNKNOWN_DAY,
  type DayFigures,
  type Quote,
} from '@tickstream/client/contract';

/**
 * A symbol's day as the bus keeps it beside its latest quote: the figures, and whether its
 * session ended (the symbol closed), so that its next trade begins another session whose
 * previous close is the last price. The Redis bus's scripts fold the same way (redis-scripts.ts).
 */
export interface DayRecord extends DayFigures {
  symbol: string;
  ended: boolean;
}

/** The record after `quote` is published; `last` is the symbol's latest quote before it. */
export function dayAfterTick(
  record: DayRecord | undefined,
  quote: Quote,
  last: Quote | undefined,
): DayRecord | undefined {
  if (quote.size <= 0) {
    return record;
  }
  const day = dayAfterTrade(
    record ?? UNKNOWN_DAY,
    quote,
    record?.ended ?? false,
    last?.price ?? null,
  );
  return { symbol: quote.symbol, ended: false, ...day };
}

/** The record after a change of state: closing ends the session. */
export function dayAfterState(record: DayRecord | undefined, state: string): DayRecord | undefined {
  return record && state === 'closed' ? { ...record, ended: true } : record;
}

/** The figures of a record, as the wire carries them. */
export function dayFiguresOf(record: DayRecord | undefined): DayFigures {
  if (record === undefined) {
    return UNKNOWN_DAY;
  }
  const { open, high, low, volume, previousClose, lastTradeTs } = record;
  return { open, high, low, volume, previousClose, lastTradeTs };
}
