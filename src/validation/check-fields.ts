import { validateSync } from 'class-validator';
import { InvalidFieldException } from './invalid-field.exception.js';

/**
 * Checks `dto` against its class-validator rules, unknown fields included, and throws the first
 * bad one as a 400 named `prefix` + its property, with the value sent and what is wrong with it.
 */
export function checkFields(dto: object, prefix = ''): void {
  const [error] = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (error) {
    const reason = Object.values(error.constraints ?? {}).join('; ') || 'invalid value';
    throw new InvalidFieldException(`${prefix}${error.property}`, error.value, reason);
  }
}
