import type { DayFigures, StateOf, StatusData } from '@tickstream/client/contract';
import { dayFiguresOf, type DayRecord } from './day-record.js';
import type { Snapshot } from './latest-values.js';

/** What a snapshot and `/api/symbols` say of a symbol besides its quote. */
export interface Standing extends StateOf {
  day: DayFigures;
  sessionOpen: number | null;
}

/**
 * The standing of each symbol of a snapshot, read from its states and days together, so that
 * both account for the same events (up to its head).
 */
export function standingsOf({
  states,
  days,
}: Pick<Snapshot, 'states' | 'days'>): (symbol: string) => Standing {
  const statuses = new Map<string, StatusData>(states.map((status) => [status.symbol, status]));
  const records = new Map<string, DayRecord>(days.map((record) => [record.symbol, record]));
  return (symbol: string): Standing => {
    const status = statuses.get(symbol);
    const day = dayFiguresOf(records.get(symbol));
    return {
      state: status?.state ?? 'open',
      stateReason: status?.reason ?? null,
      stateSince: status?.ts ?? null,
      day,
      sessionOpen: day.open,
    };
  };
}
