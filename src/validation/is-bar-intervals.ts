import { CANDLE_INTERVALS, isCandleInterval } from '@tickstream/client/contract';
import { ValidateBy } from 'class-validator';

/** A comma-separated list of bar intervals, each once: `1s`, `1m`, `1s,1m`. */
export function IsBarIntervals(): PropertyDecorator {
  return ValidateBy({
    name: 'isBarIntervals',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') {
          return false;
        }
        const intervals = value.split(',');
        return intervals.every(isCandleInterval) && new Set(intervals).size === intervals.length;
      },
      defaultMessage: () =>
        `must be bar intervals, each once, comma-separated: ${Object.keys(CANDLE_INTERVALS).join(', ')}`,
    },
  });
}
