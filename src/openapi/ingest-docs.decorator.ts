import { applyDecorators } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { IngestAccepted, IngestErrorDto, IngestFieldErrorDto, IngestTick } from './ingest.dto.js';
import { SECURITY } from './security-schemes.js';

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
    ApiBearerAuth(SECURITY.ingest),
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
    ApiUnauthorizedResponse({
      type: IngestErrorDto,
      description: 'No Authorization: Bearer header, or not the INGEST_TOKEN',
    }),
    ApiPayloadTooLargeResponse({
      type: IngestErrorDto,
      description: 'The body is over INGEST_MAX_BYTES',
    }),
    ApiUnsupportedMediaTypeResponse({
      type: IngestErrorDto,
      description: 'Content-Type is neither application/json nor application/x-ndjson',
    }),
    ApiServiceUnavailableResponse({
      type: IngestErrorDto,
      description: 'Ingestion is off: the server runs without INGEST_TOKEN',
    }),
  );
}
