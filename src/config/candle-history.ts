import {
  CANDLE_INTERVALS,
  isCandleInterval,
  type CandleInterval,
} from '@tickstream/client/contract';
import { ValidateBy } from 'class-validator';

/** The most bars kept per symbol at one interval. */
export const MAX_CANDLE_HISTORY = 100_000;

/** Bars kept per symbol for some intervals, in place of CANDLE_HISTORY. */
export type CandleHistoryByInterval = Partial<Record<CandleInterval, number>>;

const ENTRY = /^([0-9a-z]{2,3})=(\d{1,6})$/;

/**
 * `CANDLE_HISTORY_BY_INTERVAL` as `1s=3600,1d=730`; undefined for a value that is not that, which
 * the validator then refuses with the setting's whole text.
 */
export function readCandleHistory(value: string): CandleHistoryByInterval | undefined {
  const bounds: CandleHistoryByInterval = {};
  for (const entry of value.split(',').map((part) => part.trim())) {
    const [, interval, bars] = ENTRY.exec(entry) ?? [];
    const count = Number(bars);
    if (
      !isCandleInterval(interval) ||
      interval in bounds ||
      count < 1 ||
      count > MAX_CANDLE_HISTORY
    ) {
      return undefined;
    }
    bounds[interval] = count;
  }
  return bounds;
}

/** A value `readCandleHistory` made: an interval at most once, each 1 to MAX_CANDLE_HISTORY bars. */
export function IsCandleHistoryByInterval(): PropertyDecorator {
  return ValidateBy({
    name: 'isCandleHistoryByInterval',
    validator: {
      validate: (value: unknown) => typeof value === 'object' && value !== null,
      defaultMessage: () =>
        `must be interval=bars, comma-separated, each interval once (${Object.keys(CANDLE_INTERVALS).join(', ')}), ` +
        `1 to ${MAX_CANDLE_HISTORY} bars, like 1s=3600,1d=730`,
    },
  });
}
