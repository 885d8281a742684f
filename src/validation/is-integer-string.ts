import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A query value that spells a whole number in [min, max]. Query values stay strings until they
 * pass, so a 400 can quote exactly what the client sent.
 */
export function IsIntegerString(
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIntegerString',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{1,15}$/.test(value) &&
          Number(value) >= min &&
          Number(value) <= max,
        defaultMessage: () => `must be an integer from ${min} to ${max}`,
      },
    },
    options,
  );
}
