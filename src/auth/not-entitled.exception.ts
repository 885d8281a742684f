import { ForbiddenException } from '@nestjs/common';
import type { Principal } from './principal.js';

/** A 403 naming the symbols the token does not cover. */
export class NotEntitledException extends ForbiddenException {
  constructor(field: string, symbols: string[]) {
    super({
      statusCode: 403,
      error: 'Forbidden',
      message: `${field}: the token does not cover ${symbols.join(', ')}`,
      field,
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
