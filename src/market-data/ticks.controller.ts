import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import type { EventId } from '@tickstream/client/contract';
import { IngestDocs } from '../openapi/ingest-docs.decorator.js';
import { TickBus } from '../bus/tick-bus.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import { parseTickBatch, TICK_BATCH_TYPES } from './tick-batch.js';

export interface IngestResult {
  /** The event ids given to the ticks, in the order they were sent. */
  ids: EventId[];
}

/** Ingestion of ticks from other services: a batch is validated whole, then published in order. */
@Controller('api/ticks')
export class TicksController {
  constructor(
    private readonly bus: TickBus,
    private readonly registry: SymbolRegistry,
  ) {}

  @Post()
  @IngestDocs(TICK_BATCH_TYPES)
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
    const ticks = await this.bus.publishAll(quotes);
    return { ids: ticks.map((tick) => tick.id) };
  }
}
