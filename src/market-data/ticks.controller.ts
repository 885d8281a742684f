import { Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import type { EventId } from '@tickstream/client/contract';
import type { IncomingMessage } from 'node:http';
import { TickBus } from '../bus/tick-bus.js';
import { AppConfig } from '../config/app-config.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { readTickBatch } from './read-tick-batch.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import { parseTickBatch } from './tick-batch.js';

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
    private readonly config: AppConfig,
  ) {}

  @Post()
  @UseGuards(IngestTokenGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(@Req() request: IncomingMessage): Promise<IngestResult> {
    // The guard has let the request in: only now is its body read.
    const { type, text } = await readTickBatch(request, this.config.INGEST_MAX_BYTES);
    const quotes = await parseTickBatch(
      text,
      type,
      (symbol) => this.registry.get(symbol) !== undefined,
      Date.now(),
    );
    const ticks = await this.bus.publishAll(quotes);
    return { ids: ticks.map((tick) => tick.id) };
  }
}
