import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventId } from '@tickstream/client/contract';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { parseStatusBody } from './status-body.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import { TradingStates } from './trading-states.service.js';

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
  @UseGuards(IngestTokenGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  async change(@Body() body: unknown): Promise<{ id: EventId }> {
    if (typeof body !== 'string') {
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    const { symbol, state, reason } = parseStatusBody(
      body,
      (candidate) => this.registry.get(candidate) !== undefined,
    );
    const { id } = await this.states.change(symbol, state, reason);
    return { id };
  }
}
