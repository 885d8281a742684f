import { BadRequestException } from '@nestjs/common';

/** A 400 whose JSON body names the offending field and the value that was sent. */
export class InvalidFieldException extends BadRequestException {
  constructor(field: string, value: unknown, reason: string) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `${field}: ${reason}`,
      field,
      value: value ?? null,
    });
  }
}
