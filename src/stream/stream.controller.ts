import { Controller, Headers, Query, Res, Sse, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { requireEntitlement } from '../auth/not-entitled.exception.js';
import type { Principal } from '../auth/principal.js';
import { CurrentPrincipal } from '../auth/request-principal.js';
import { TokenGuard } from '../auth/token.guard.js';
import { ConnectionLimitGuard } from '../limits/connection-limit.guard.js';
import { SymbolRegistry } from '../market-data/symbol-registry.service.js';
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
    private readonly connections: ConnectionLimitGuard,
  ) {}

  /** Live quotes over Server-Sent Events; see docs/protocol.md. */
  @Sse('stream')
  @StreamDocs()
  @UseGuards(ConnectionLimitGuard)
  stream(
    @Query() query: StreamQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
    @Headers('Last-Event-ID') lastEventIdHeader?: string,
  ): Observable<never> {
    // The header wins: on reconnect EventSource sends its newest id, while the URL keeps the old.
    const lastEventId = lastEventIdHeader || query.lastEventId || undefined;
    const symbols = this.registry.parseList('symbols', query.symbols);
    requireEntitlement(principal, 'symbols', symbols);
    return this.streams
      .open(
        {
          symbols,
          throttleMs: Number(query.throttle ?? 0),
          snapshot: query.snapshot !== 'false',
          lastEventId,
          expiresAt: principal.expiresAt,
        },
        response,
      )
      .pipe(this.connections.hold(response));
  }
}
