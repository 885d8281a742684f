import {
  Body,
  ConflictException,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import type { EventId } from '@tickstream/client/contract';
import { TickBus } from '../bus/tick-bus.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import { parseTickBatch, TICK_BATCH_TYPES } from './tick-batch.js';
import { TradingStates } from './trading-states.service.js';

export interface IngestResult {
  /** The event ids given to the ticks, in the order they were sent. */
  ids: EventId[];
}

/**
 * Ingestion of ticks from other services: a batch is validated whole, then published in order.
 * A batch with a tick of a halted or closed symbol is refused whole (409).
 */
@Controller('api/ticks')
export class TicksController {
  constructor(
    private readonly bus: TickBus,
    private readonly registry: SymbolRegistry,
    private readonly states: TradingStates,
  ) {}

  @Post()
  @UseGuards(IngestTokenGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(
    @Body() body: unknown,
    @Headers('content-type') contentType = '',
  ): Promise<IngestResult> {
    if (typeof body !== 'string') {
      throw new UnsupportedMediaTypeException(
        `Content-Type must be ${TICK_BATCH_TYPES.join(' or ')}`,
      );
    }
    const quotes = parseTickBatch(
      body,
      contentType,
      (symbol) => this.registry.get(symbol) !== undefined,
      Date.now(),
    );
    const stopped = quotes.findIndex(({ symbol }) => !this.states.trades(symbol));
    if (stopped !== -1) {
      const { symbol } = quotes[stopped];
      throw new ConflictException({
        statusCode: HttpStatus.CONFLICT,
        error: 'Conflict',
        message: `[${stopped}].symbol: ${symbol} is ${this.states.stateOf(symbol)}: it does not tick until it opens`,
        field: `[${stopped}].symbol`,
        value: symbol,
      });
    }
    const ticks = await this.bus.publishAll(quotes);
    return { ids: ticks.map((tick) => tick.id) };
  }
}
