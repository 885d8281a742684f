import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ConnectionLimit, ErrorBody, TokenRefusal } from '@tickstream/client/contract';
import { enumDescription } from './enum-description.js';

// The 4xx bodies of the contract's ErrorBody, as the API document shows them (every refusal is a
// FieldErrorException): what every one says, and what each status adds.

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
  connection: 'one stream per connection, for a request pipelined behind a stream',
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

/** 400 of a query or path, 404 of an unknown symbol: the field at fault and the value sent. */
export class FieldErrorDto extends ErrorBodyDto {
  @ApiProperty({
    description:
      'The value sent, cut short: a string (its first 200 characters, then "…"), a list when the parameter was given more than once (its first 10 entries, then "…"), null when it was missing',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    nullable: true,
    example: 'NOPE',
  })
  value!: string | string[] | null;
}

/** 409: what the request asks cannot happen now, such as a tick of a halted symbol. */
export class ConflictErrorDto extends ErrorBodyDto {
  @ApiProperty({ description: 'The value at fault, such as the symbol', example: 'AAPL' })
  value!: string;
}

/** 413 and 415: the body is too large, of another type, or compressed. */
export class BodyErrorDto extends ErrorBodyDto {
  @ApiPropertyOptional({ description: 'The Content-Type or Content-Encoding sent, on a 415' })
  value?: string;
}

/** 503: the service cannot take the request now (no INGEST_TOKEN, or the bus is out of reach). */
export class UnavailableDto {
  @ApiProperty({ type: 'integer', example: 503 })
  statusCode!: number;

  @ApiProperty({ example: 'Service Unavailable' })
  error!: string;

  @ApiProperty({ example: 'ingestion is off: no INGEST_TOKEN is configured' })
  message!: string;
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

/** 429 of a rate limit: per address (the REST routes) or per ingest token (ingestion, status). */
export class RateLimitErrorDto extends ErrorBodyDto {
  @ApiProperty({ type: 'integer', description: 'Requests allowed per window', example: 300 })
  value!: number;
}
