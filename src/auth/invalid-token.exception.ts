import { UnauthorizedException } from '@nestjs/common';

export type InvalidTokenReason =
  'token_missing' | 'token_malformed' | 'token_invalid' | 'token_expired';

/**
 * A 401 naming where the token was looked for and why it was refused. The token itself is never
 * echoed: a response body is as likely to end up in a log as a request line.
 */
export class InvalidTokenException extends UnauthorizedException {
  /** The WWW-Authenticate challenge of RFC 6750. */
  readonly challenge: string;

  constructor(field: string, reason: InvalidTokenReason, description: string) {
    super({
      statusCode: 401,
      error: 'Unauthorized',
      message: `${field}: ${description}`,
      field,
      reason,
    });
    this.challenge =
      reason === 'token_missing'
        ? 'Bearer realm="tickstream"'
        : `Bearer realm="tickstream", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`;
  }
}
