import { ValidateBy } from 'class-validator';

/** A date, or a date and time with its offset from UTC (without one it would be the server's). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * An instant a client names, as ms since the epoch (`1796601600000`) or ISO 8601
 * (`2026-12-07`, `2026-12-07T14:30:00Z`, `2026-12-07T09:30:00-05:00`): its ms since the epoch,
 * or undefined when it is neither.
 */
export function readInstant(value: string): number | undefined {
  if (/^\d{1,15}$/.test(value)) {
    return Number(value);
  }
  const ms = ISO_8601.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

export const INSTANT_REASON =
  'must be ms since the epoch or ISO 8601 with its offset, like 2026-12-07T14:30:00Z';

/** A query value that `readInstant` reads. */
export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && readInstant(value) !== undefined,
      defaultMessage: () => INSTANT_REASON,
    },
  });
}
