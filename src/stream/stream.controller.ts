import { Controller, Headers, Query, Sse, type MessageEvent } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { SymbolRegistry } from '../market-data/symbol-registry.service.js';
import { StreamDocs } from './stream-docs.decorator.js';
import { StreamQueryDto } from './stream-query.dto.js';
import { StreamService } from './stream.service.js';

@ApiTags('stream')
@Controller('api')
export class StreamController {
  constructor(
    private readonly registry: SymbolRegistry,
    private readonly streams: StreamService,
  ) {}

  /** Live quotes over Server-Sent Events; see docs/protocol.md. */
  @Sse('stream')
  @StreamDocs()
  stream(
    @Query() query: StreamQueryDto,
    @Headers('Last-Event-ID') lastEventIdHeader?: string,
  ): Observable<MessageEvent> {
    // The header wins: on reconnect EventSource sends its newest id, while the URL keeps the old.
    const lastEventId = lastEventIdHeader || query.lastEventId || undefined;
    return this.streams.open({
      symbols: this.registry.parseList('symbols', query.symbols),
      throttleMs: Number(query.throttle ?? 0),
      snapshot: query.snapshot !== 'false',
      lastEventId,
    });
  }
}
