import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ALL_SYMBOLS,
  isCandleInterval,
  isEventId,
  LAST_EVENT_ID_HEADER,
  type EventId,
} from '@tickstream/client/contract';
import type { ServerResponse } from 'node:http';
import { requireEntitlement } from '../auth/not-entitled.exception.js';
import type { Principal } from '../auth/principal.js';
import { CurrentPrincipal } from '../auth/request-principal.js';
import { TokenGuard } from '../auth/token.guard.js';
import { SymbolRegistry } from '../market-data/symbol-registry.service.js';
import { InvalidFieldException } from '../validation/invalid-field.exception.js';
import { clientOf, ConnectionLimitGuard } from './connection-limit.guard.js';
import { StreamDocs } from './stream-docs.decorator.js';
import { StreamQueryDto } from './stream-query.dto.js';
import { StreamService } from './stream.service.js';

@ApiTags('stream')
@Controller('api')
@UseGuards(TokenGuard)
export class StreamController {
  constructor(
    private readonly registry: SymbolRegistry,
    private readonly streams: StreamService,
  ) {}

  /**
   * Live quotes over Server-Sent Events; see docs/protocol.md.
   *
   * Nest declares the route (guards, validation, the API document); the stream writes its whole
   * response itself, through its ClientWriter, and `@Res()` tells Nest to write nothing, before
   * or after. Not `@Sse()`: Nest's SSE writer kept, for every open stream, a stream of its own,
   * an abort controller, a 5-second probe timer and their closures, about 3.3 KB of heap per
   * stream (docs/benchmarks.md), all to write nothing (test/stream-writer.e2e-spec.ts).
   */
  @Get('stream')
  @StreamDocs()
  @UseGuards(ConnectionLimitGuard)
  async stream(
    @Query() query: StreamQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res() response: ServerResponse,
    @Headers(LAST_EVENT_ID_HEADER) lastEventIdHeader?: string,
  ): Promise<void> {
    const resumeFrom = resumePoint(lastEventIdHeader, query.lastEventId);
    const firehose = query.symbols.trim() === ALL_SYMBOLS;
    const symbols = firehose ? 'all' : this.registry.parseList('symbols', query.symbols);
    requireEntitlement(principal, 'symbols', symbols);
    await this.streams.open(
      {
        client: clientOf(response.req),
        symbols,
        bars: (query.bars?.split(',') ?? []).filter(isCandleInterval),
        throttleMs: Number(query.throttle ?? 0),
        snapshot: query.snapshot !== 'false',
        resumeFrom,
        expiresAt: principal.expiresAt,
        head: response.req.method === 'HEAD',
      },
      response,
    );
  }
}

/**
 * Where the client resumes from. The header wins: on reconnect EventSource sends its newest id,
 * while the URL keeps the old one. Either must be an event id; the query's is checked with the
 * query. (EventSource sends no header rather than an empty one.)
 */
function resumePoint(header: string | undefined, query: string | undefined): EventId | undefined {
  if (header === undefined || header === '') {
    return query || undefined;
  }
  if (!isEventId(header)) {
    throw new InvalidFieldException(
      LAST_EVENT_ID_HEADER,
      header,
      'must be an event id "<ms>-<seq>", such as 1795608150708-0',
    );
  }
  return header;
}
