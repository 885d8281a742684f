import { Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventId } from '@tickstream/client/contract';
import type { IncomingMessage } from 'node:http';
import { StatusDocs } from '../../openapi/ingest-docs.decorator.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { readIngestBody } from './read-ingest-body.js';
import { parseStatusBody } from './status-body.js';
import { SymbolRegistry } from '../symbol-registry.service.js';
import { TradingStates } from '../trading-states.service.js';

/** A status is a few fields: far below any body worth reading. */
const MAX_STATUS_BYTES = 4_096;

/**
 * Trading status from a real feed (halts, sessions): relayed through the bus to every stream of
 * the symbol, on every instance. A halted or closed symbol's ticks are refused until it opens.
 */
@ApiTags('ingest')
@Controller('api/status')
export class StatusController {
  constructor(
    private readonly states: TradingStates,
    private readonly registry: SymbolRegistry,
  ) {}

  @Post()
  @StatusDocs()
  @UseGuards(IngestTokenGuard, IngestRateLimitGuard('status'))
  @HttpCode(HttpStatus.ACCEPTED)
  async change(@Req() request: IncomingMessage): Promise<{ id: EventId }> {
    // The guard has let the request in: only now is its body read.
    const { text } = await readIngestBody(request, ['application/json'], MAX_STATUS_BYTES);
    const { symbol, state, reason } = parseStatusBody(
      text,
      (candidate) => this.registry.get(candidate) !== undefined,
    );
    this.registry.admit([symbol], () => 'symbol');
    const { id } = await this.states.change(symbol, state, reason);
    return { id };
  }
}
