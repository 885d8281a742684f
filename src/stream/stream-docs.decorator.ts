import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { LAST_EVENT_ID_HEADER } from '@tickstream/client/contract';
import { ApiTokenAccess } from '../openapi/api-token-access.decorator.js';
import { ConnectionLimitErrorDto, NotEntitledErrorDto } from '../openapi/error-bodies.dto.js';
import { FieldErrorDto } from '../openapi/error-bodies.dto.js';
import {
  BarFrame,
  ErrorFrame,
  OpeningFrame,
  ResetFrame,
  SnapshotFrame,
  StatusFrame,
  TickFrame,
} from './stream-frames.dto.js';

const EXAMPLE = `event: snapshot
id: 1795608150113-0
retry: 2000
data: {"quotes":[{"symbol":"AAPL","kind":"trade","price":228.46,"bid":228.44,"ask":228.49,"size":200,"bidSize":300,"askSize":500,"ts":1795608149964,"state":"open","stateReason":null,"stateSince":null,"day":{"open":226.1,"high":229.8,"low":225.7,"volume":1284300,"previousClose":224.9,"lastTradeTs":1795608149964},"sessionOpen":226.1}]}

event: tick
id: 1795608150708-0
data: {"symbol":"AAPL","kind":"trade","price":228.47,"bid":228.45,"ask":228.5,"size":100,"bidSize":200,"askSize":400,"ts":1795608150708}

: heartbeat

`;

/** The API document of GET /api/stream: what a request may say, and every frame it gets back. */
export function StreamDocs(): MethodDecorator {
  const frames = [
    SnapshotFrame,
    TickFrame,
    BarFrame,
    StatusFrame,
    ResetFrame,
    OpeningFrame,
    ErrorFrame,
  ];
  return applyDecorators(
    ApiOperation({
      summary: 'Live quotes over Server-Sent Events',
      description: [
        'Opens with one of: a `snapshot` (fresh stream); an id-only frame (resumed stream, or',
        '`snapshot=false`); a `reset` then a `snapshot` (the resume point is no longer covered).',
        'Then `tick` events, at most one per symbol per `throttle` window, and a `: heartbeat`',
        'comment every HEARTBEAT_MS (15 s by default). A stream the server ends on purpose (the',
        'token expired, the instance fell behind) ends with an `error` frame. Every frame with an',
        'id is a safe resume point. A request is checked in this order: token (401), connection',
        'limits (429), query (400), symbols the token covers (403). "Try it out" shows a',
        'response only once it ends, so it asks for `live=false`: the stream ends after its',
        'opening; leave `live` empty for a live stream (with curl or an EventSource). The full',
        'protocol: docs/protocol.md.',
      ].join(' '),
    }),
    ApiTokenAccess(),
    ApiHeader({
      name: LAST_EVENT_ID_HEADER,
      required: false,
      description:
        'Resume point: the id of the last frame received. Replays what was missed, then goes live; wins over the lastEventId query parameter',
    }),
    ApiExtraModels(...frames),
    ApiOkResponse({
      description:
        'An endless text/event-stream; its frames are described by the schemas below (SSE fields, with JSON in `data:`)',
      content: {
        'text/event-stream': {
          schema: { oneOf: frames.map((frame) => ({ $ref: getSchemaPath(frame) })) },
          example: EXAMPLE,
        },
      },
    }),
    ApiBadRequestResponse({
      type: FieldErrorDto,
      description: 'A query parameter is missing, unknown or invalid; no stream is opened',
    }),
    ApiForbiddenResponse({
      type: NotEntitledErrorDto,
      description:
        'With STREAM_AUTH=jwt: the token does not cover some of the symbols (field "symbols")',
    }),
    ApiTooManyRequestsResponse({
      type: ConnectionLimitErrorDto,
      description:
        'MAX_CONNECTIONS streams are open, or MAX_CONNECTIONS_PER_CLIENT for this client',
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before trying again',
          schema: { type: 'integer' },
        },
      },
    }),
  );
}
