import { HttpStatus } from '@nestjs/common';
import { FieldErrorException } from './field-error.exception.js';

/** A 400 naming the field at fault and the value that was sent (null when it was missing). */
export class InvalidFieldException extends FieldErrorException {
  constructor(field: string, value: unknown, reason: string) {
    super(HttpStatus.BAD_REQUEST, field, reason, { value: value ?? null });
  }
}
