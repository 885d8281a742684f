import { Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import type { EventId } from '@tickstream/client/contract';
import type { IncomingMessage } from 'node:http';
import { IngestDocs } from '../../openapi/ingest-docs.decorator.js';
import { EventLog, SymbolStoppedError } from '../../bus/event-log.js';
import { AppConfig } from '../../config/app-config.js';
import { FeedCounters } from '../feed-counters.js';
import { FieldErrorException } from '../../validation/field-error.exception.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { readIngestBody } from './read-ingest-body.js';
import { SymbolRegistry } from '../symbol-registry.service.js';
import { parseTickBatch, TICK_BATCH_TYPES } from './tick-batch.js';
import { TradingStates } from '../trading-states.service.js';

export interface IngestResult {
  /** The event ids given to the ticks, in the order they were sent. */
  ids: EventId[];
}

/**
 * Ingestion of ticks from other services: a batch is validated whole, then published in order.
 * A batch with a tick of a halted or closed symbol is refused whole (409): the bus checks, in the
 * same step as it publishes, so no tick of a stopped symbol follows its change.
 */
@Controller('api/ticks')
export class TicksController {
  constructor(
    private readonly log: EventLog,
    private readonly registry: SymbolRegistry,
    private readonly states: TradingStates,
    private readonly config: AppConfig,
    private readonly counters: FeedCounters,
  ) {}

  @Post()
  @IngestDocs(TICK_BATCH_TYPES)
  @UseGuards(IngestTokenGuard, IngestRateLimitGuard('ticks'))
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(@Req() request: IncomingMessage): Promise<IngestResult> {
    // The guard has let the request in: only now is its body read.
    const { type, text } = await readIngestBody(
      request,
      TICK_BATCH_TYPES,
      this.config.INGEST_MAX_BYTES,
    );
    const quotes = await parseTickBatch(
      text,
      type,
      (symbol) => this.registry.get(symbol) !== undefined,
      Date.now(),
    );
    this.registry.admit(
      quotes.map(({ symbol }) => symbol),
      (index) => `[${index}].symbol`,
    );
    try {
      const ticks = await this.log.publishAll(quotes, 'refuse');
      this.counters.ticks.ingested += ticks.length;
      return { ids: ticks.map((tick) => tick.id) };
    } catch (error) {
      if (error instanceof SymbolStoppedError) {
        const { symbol } = error;
        const index = quotes.findIndex((quote) => quote.symbol === symbol);
        const state = this.states.stateOf(symbol);
        throw new FieldErrorException(
          HttpStatus.CONFLICT,
          `[${index}].symbol`,
          `${symbol} is ${state === 'open' ? 'not trading' : state}: it does not tick until it opens`,
          { value: symbol },
        );
      }
      throw error;
    }
  }
}
