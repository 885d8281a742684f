import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidFieldException } from './invalid-field.exception.js';

/** Validates query DTOs and reports the first bad field the way every endpoint does. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
