import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InvalidFieldException } from './invalid-field.exception.js';

/**
 * Validates query DTOs and reports the first bad field the way every endpoint does. Also refuses
 * parameters named `prototype` or like Object.prototype's members (`__proto__`, `constructor`,
 * `toString`...): the query parser keeps them, but the pipe and the DTO transformation drop them
 * without a word, and an unknown parameter must always be a 400.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (typeof value === 'object' && value !== null) {
      const name = Object.keys(value).find((key) => key in Object.prototype || key === 'prototype');
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
