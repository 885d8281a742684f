import { ApiProperty } from '@nestjs/swagger';
import type { ConnectionLimit, ErrorBody, TokenRefusal } from '@tickstream/client/contract';
import { enumDescription } from './enum-description.js';

// The 4xx bodies of the contract's ErrorBody, as the API document shows them: what every one
// says, and what each status adds. The 400 and 404 body is FieldErrorDto.

/** Why a token is refused; a Record, so that a new reason in the contract must be described. */
const TOKEN_REFUSALS: Record<TokenRefusal, string> = {
  token_missing: 'no token was sent',
  token_malformed: 'what was sent is not a token',
  token_invalid: 'a bad signature or claims',
  token_expired: 'its exp has passed',
};

/** Which connection limit refused a stream, by the setting that sets it. */
const CONNECTION_LIMITS: Record<ConnectionLimit, string> = {
  process: 'MAX_CONNECTIONS, for the whole process',
  client: 'MAX_CONNECTIONS_PER_CLIENT, for the token subject or the IP address',
};

/** What every 4xx body of the API says: the status, and the field at fault, for programs. */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ type: 'integer', description: 'The HTTP status' })
  statusCode!: number;

  @ApiProperty({ description: 'The status text' })
  error!: string;

  @ApiProperty({ description: '"<field>: <reason>", for people' })
  message!: string;

  @ApiProperty({ description: 'The field at fault' })
  field!: string;
}

/** 401: the token is missing or refused. It is never echoed. */
export class TokenErrorDto extends ErrorBodyDto {
  @ApiProperty({
    enum: Object.keys(TOKEN_REFUSALS),
    description: `Why the token was refused: ${enumDescription(TOKEN_REFUSALS)}`,
    example: 'token_missing',
  })
  reason!: TokenRefusal;
}

/** 403: the token does not cover some of the symbols asked for. */
export class NotEntitledErrorDto extends ErrorBodyDto {
  @ApiProperty({ type: [String], description: 'The symbols not covered', example: ['TSLA'] })
  value!: string[];
}

/** 429 of GET /api/stream: a connection limit is reached. */
export class ConnectionLimitErrorDto extends ErrorBodyDto {
  @ApiProperty({ type: 'integer', description: 'The limit', example: 100 })
  value!: number;

  @ApiProperty({
    enum: Object.keys(CONNECTION_LIMITS),
    description: `Which limit: ${enumDescription(CONNECTION_LIMITS)}`,
  })
  limit!: ConnectionLimit;
}

/** 429 of the REST routes: REST_RATE_LIMIT requests per REST_RATE_WINDOW_MS per address. */
export class RateLimitErrorDto extends ErrorBodyDto {
  @ApiProperty({ type: 'integer', description: 'Requests allowed per window', example: 300 })
  value!: number;
}
