import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InvalidFieldException } from './invalid-field.exception.js';
import { prototypeKey } from './prototype-key.js';

/**
 * Validates query DTOs and reports the first bad field the way every endpoint does, also when it
 * is named like a prototype member (see prototypeKey): an unknown parameter is always a 400.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value === 'object' && value !== null) {
      const name = prototypeKey(value);
      if (name !== undefined) {
        const sent: unknown = Object.getOwnPropertyDescriptor(value, name)?.value;
        throw new InvalidFieldException(name, sent, `property ${name} should not exist`);
      }
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function requestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const [first] = errors;
      const reason = Object.values(first?.constraints ?? {}).join('; ') || 'invalid value';
      return new InvalidFieldException(first?.property ?? 'request', first?.value, reason);
    },
  });
}
