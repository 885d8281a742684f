import { HttpStatus } from '@nestjs/common';
import { FieldErrorException } from '../validation/field-error.exception.js';
import type { Principal } from './principal.js';

/** A 403 naming the symbols the token does not cover. */
export class NotEntitledException extends FieldErrorException {
  constructor(field: string, symbols: string[]) {
    super(HttpStatus.FORBIDDEN, field, `the token does not cover ${symbols.join(', ')}`, {
      value: symbols,
    });
  }
}

/** Throws a 403 unless `principal` may see every one of `symbols`, or every symbol (`all`). */
export function requireEntitlement(
  principal: Principal,
  field: string,
  symbols: readonly string[] | 'all',
): void {
  const denied = principal.notEntitled(symbols);
  if (denied.length > 0) {
    throw new NotEntitledException(field, denied);
  }
}
