import { HttpStatus } from '@nestjs/common';
import type { TokenRefusal } from '@tickstream/client/contract';
import { FieldErrorException } from '../validation/field-error.exception.js';

/**
 * A 401 naming where the token was looked for and why it was refused. The token itself is never
 * echoed: a response body is as likely to end up in a log as a request line.
 */
export class InvalidTokenException extends FieldErrorException {
  /** The WWW-Authenticate challenge of RFC 6750, for the guard to send with it. */
  readonly challenge: string;

  constructor(field: string, reason: TokenRefusal, description: string) {
    super(HttpStatus.UNAUTHORIZED, field, description, { reason });
    this.challenge =
      reason === 'token_missing'
        ? 'Bearer realm="tickstream"'
        : `Bearer realm="tickstream", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`;
  }
}
