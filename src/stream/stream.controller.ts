import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ALL_SYMBOLS,
  isCandleInterval,
  isEventId,
  LAST_EVENT_ID_HEADER,
  MAX_SINCE_SKEW_MS,
  STREAM_PARAMS,
  type EventId,
} from '@tickstream/client/contract';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireEntitlement } from '../auth/not-entitled.exception.js';
import type { Principal } from '../auth/principal.js';
import { CurrentPrincipal } from '../auth/request-principal.js';
import { TokenGuard } from '../auth/token.guard.js';
import { SymbolRegistry } from '../market-data/symbol-registry.service.js';
import { readInstant } from '../validation/instant.js';
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
    const since = sinceOf(query.since);
    const symbols = this.selection(STREAM_PARAMS.symbols, query.symbols);
    const resumeSymbols =
      query.resumeSymbols === undefined
        ? undefined
        : this.selection(STREAM_PARAMS.resumeSymbols, query.resumeSymbols);
    requireEntitlement(principal, 'symbols', symbols);
    await this.streams.open(
      {
        client: clientOf(response.req),
        symbols,
        bars: (query.bars?.split(',') ?? []).filter(isCandleInterval),
        throttleMs: Number(query.throttle ?? 0),
        snapshot: query.snapshot !== 'false',
        live: query.live !== 'false',
        resumeFrom,
        resumeSymbols,
        // A resume point wins: EventSource keeps the URL, and sends its newest id on reconnect.
        since: resumeFrom === undefined ? since : undefined,
        expiresAt: principal.expiresAt,
        head: response.req.method === 'HEAD',
      },
      response,
    );
    forgetRouting(response.req);
  }

  /** A list of known symbols, or every symbol (`*`). */
  private selection(field: string, raw: string): readonly string[] | 'all' {
    return raw.trim() === ALL_SYMBOLS ? 'all' : this.registry.parseList(field, raw);
  }
}

/**
 * Lets go of how Express routed a stream's request, which goes nowhere again: its router leaves
 * `next` on the request, and with it the router's walk of its stack and the final handler, held
 * as long as the request, that is the stream: 0.7 KB of heap per idle stream (docs/benchmarks.md).
 */
function forgetRouting(request: IncomingMessage & { next?: unknown }): void {
  request.next = undefined;
}

/**
 * The time of `since` (already checked to be one), refused when it is further ahead of the
 * server's clock than a client's clock may run: nothing could be replayed from it.
 */
function sinceOf(raw: string | undefined): number | undefined {
  const since = raw === undefined ? undefined : readInstant(raw);
  if (since !== undefined && since > Date.now() + MAX_SINCE_SKEW_MS) {
    throw new InvalidFieldException(
      STREAM_PARAMS.since,
      raw,
      `is in the future: at most ${MAX_SINCE_SKEW_MS / 1000} s ahead of the server's clock`,
    );
  }
  return since;
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
