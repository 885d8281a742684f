import { applyDecorators } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOperation,
  ApiQuery,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  BodyErrorDto,
  ConflictErrorDto,
  RateLimitErrorDto,
  TokenErrorDto,
  UnavailableDto,
} from './error-bodies.dto.js';
import {
  IngestAccepted,
  IngestFieldErrorDto,
  CandlesAccepted,
  IngestCandle,
  IngestTick,
  SessionAccepted,
  SessionRequestDto,
  StatusAccepted,
  StatusRequestDto,
} from './ingest.dto.js';
import { SECURITY } from './security-schemes.js';

/** What every ingestion endpoint answers when its token, its body or the service refuses. */
function ingestRefusals(): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(SECURITY.ingest),
    ApiUnauthorizedResponse({
      type: TokenErrorDto,
      description:
        'No Authorization: Bearer header (token_missing), or not the INGEST_TOKEN (token_invalid); checked before the body is read',
    }),
    ApiTooManyRequestsResponse({
      type: RateLimitErrorDto,
      description:
        'More than INGEST_RATE_LIMIT (ticks) or STATUS_RATE_LIMIT (status, session) requests with this token in INGEST_RATE_WINDOW_MS, from any address; before the body is read',
      headers: {
        'Retry-After': {
          description: 'Seconds until the window ends',
          schema: { type: 'integer' },
        },
        RateLimit: {
          description: 'limit, remaining and reset (IETF draft 7)',
          schema: { type: 'string' },
        },
      },
    }),
    ApiPayloadTooLargeResponse({ type: BodyErrorDto, description: 'The body is too large' }),
    ApiUnsupportedMediaTypeResponse({
      type: BodyErrorDto,
      description: 'Another Content-Type or charset than UTF-8, or a compressed body',
    }),
    ApiServiceUnavailableResponse({
      type: UnavailableDto,
      description:
        'Ingestion is off (the server runs without INGEST_TOKEN), or the bus is out of reach',
    }),
  );
}

/**
 * The API document of POST /api/ticks, whose body is of one of `types`: what a batch looks like,
 * and every answer to it.
 */
export function IngestDocs(types: readonly string[]): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Publish a batch of ticks, in order, whole or not at all',
      description:
        'Each tick gets an event id and goes to every stream of its symbol. One bad tick refuses the batch with a 400 naming its index and field, and nothing of it is published.',
    }),
    ApiExtraModels(IngestTick),
    // One schema for both types: NDJSON carries the same ticks, one a line, without brackets.
    ApiConsumes(...types),
    ApiBody({
      description:
        'A JSON array of ticks, or (application/x-ndjson) the same ticks one a line; at most INGEST_MAX_BYTES',
      schema: { type: 'array', minItems: 1, items: { $ref: getSchemaPath(IngestTick) } },
    }),
    ApiAcceptedResponse({ type: IngestAccepted, description: 'Published' }),
    ApiBadRequestResponse({
      type: IngestFieldErrorDto,
      description:
        'A bad tick (field "[<index>].<field>"), a bad NDJSON line ("[<index>]"), or a body that is not a non-empty array ("body")',
    }),
    ApiConflictResponse({
      type: ConflictErrorDto,
      description:
        'A tick of a halted or closed symbol (field "[<index>].symbol"): nothing is published',
    }),
    ingestRefusals(),
  );
}

/** The API document of POST /api/status: a change of a symbol's trading state. */
export function StatusDocs(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Relay a change of a symbol’s trading state: a halt, a reopening, a session',
      description:
        'The change gets an event id and goes to every stream of the symbol, on every instance, as `event: status`. A halted or closed symbol does not tick until it opens again.',
    }),
    ApiConsumes('application/json'),
    ApiBody({ type: StatusRequestDto }),
    ApiAcceptedResponse({ type: StatusAccepted, description: 'Published' }),
    ApiBadRequestResponse({
      type: IngestFieldErrorDto,
      description: 'A field is missing or wrong: symbol, state, reason, or the body itself',
    }),
    ingestRefusals(),
  );
}

/** The API document of POST /api/symbols/{symbol}/session: a feed begins a symbol's session. */
export function SessionDocs(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Begin a symbol’s session: its previous close and, for one under way, its figures',
      description:
        'Replaces the day the server keeps for the symbol (open, high, low, volume, previous close, last trade’s time; on Redis for every instance). Every trade after it is folded in. Snapshots and GET /api/symbols carry the day; a stream already open learns it on its next snapshot.',
    }),
    ApiConsumes('application/json'),
    ApiBody({ type: SessionRequestDto }),
    ApiAcceptedResponse({ type: SessionAccepted, description: 'The session begins' }),
    ApiBadRequestResponse({
      type: IngestFieldErrorDto,
      description:
        'A field is missing or wrong (previousClose, open, high, low, volume, lastTradeTs), or the body itself',
    }),
    ApiNotFoundResponse({
      type: IngestFieldErrorDto,
      description: 'The symbol is not served here',
    }),
    ingestRefusals(),
  );
}

/** The API document of POST /api/symbols/{symbol}/candles: a feed posts past bars. */
export function PostedCandlesDocs(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Post past bars of a symbol, so that charts are full when ticks come from elsewhere',
      description:
        'The bars go where the server has no bar made of ticks (the log’s own bars win for the times they cover, and a posted bar never goes at or after the open bar), replacing bars posted or made up before; on Redis every instance takes them within 5 s. GET /api/symbols/{symbol}/candles and the page’s chart serve them. Streams get no bar event for them.',
    }),
    ApiQuery({
      name: 'interval',
      required: false,
      enum: ['1s', '1m', '5m', '15m', '1h', '1d'],
      description: 'The bars’ interval; 1m by default',
    }),
    ApiExtraModels(IngestCandle),
    ApiConsumes('application/json'),
    ApiBody({
      description: 'A JSON array of bars, oldest first; at most INGEST_MAX_BYTES',
      schema: { type: 'array', minItems: 1, items: { $ref: getSchemaPath(IngestCandle) } },
    }),
    ApiAcceptedResponse({ type: CandlesAccepted, description: 'Taken' }),
    ApiBadRequestResponse({
      type: IngestFieldErrorDto,
      description:
        'A bad bar (field "[<index>].<field>": time, open, high, low, close, volume), a bad interval, or a body that is not a non-empty array ("body")',
    }),
    ApiNotFoundResponse({
      type: IngestFieldErrorDto,
      description: 'The symbol is not served here',
    }),
    ingestRefusals(),
  );
}
