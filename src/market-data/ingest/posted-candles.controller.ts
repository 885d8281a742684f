import {
  Controller,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isCandleInterval, type CandleInterval } from '@tickstream/client/contract';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../../config/app-config.js';
import { PostedCandlesDocs } from '../../openapi/ingest-docs.decorator.js';
import { FieldErrorException } from '../../validation/field-error.exception.js';
import { InvalidFieldException } from '../../validation/invalid-field.exception.js';
import { BarBook } from '../bars/bar-book.service.js';
import { SimulationStore } from '../simulation/simulation-store.js';
import { SymbolRegistry } from '../symbol-registry.service.js';
import { parseCandleBatch } from './candle-batch.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { readIngestBody } from './read-ingest-body.js';

/** What posting bars did: how many the server took (bars made of ticks win over posted ones). */
export interface PostedCandles {
  symbol: string;
  interval: CandleInterval;
  taken: number;
}

/**
 * Past bars from a feed, so that charts are full when ticks come from elsewhere: they go into the
 * symbol's bars where the log made none, and into the market's past (SimulationStore), which every instance takes.
 */
@ApiTags('ingest')
@Controller('api/symbols')
export class PostedCandlesController {
  constructor(
    private readonly bars: BarBook,
    private readonly simulation: SimulationStore,
    private readonly registry: SymbolRegistry,
    private readonly config: AppConfig,
  ) {}

  @Post(':symbol/candles')
  @PostedCandlesDocs()
  @UseGuards(IngestTokenGuard, IngestRateLimitGuard('candles'))
  @HttpCode(HttpStatus.ACCEPTED)
  async post(
    @Param('symbol') symbol: string,
    @Query('interval') interval: unknown,
    @Req() request: IncomingMessage,
  ): Promise<PostedCandles> {
    const known = this.registry.get(symbol)?.symbol;
    if (known === undefined) {
      throw new FieldErrorException(HttpStatus.NOT_FOUND, 'symbol', `unknown symbol "${symbol}"`, {
        value: symbol,
      });
    }
    const at = interval ?? '1m';
    if (!isCandleInterval(at)) {
      throw new InvalidFieldException('interval', at, 'must be one of 1s, 1m, 5m, 15m, 1h, 1d');
    }
    // The guard has let the request in: only now is its body read.
    const { text } = await readIngestBody(
      request,
      ['application/json'],
      this.config.INGEST_MAX_BYTES,
    );
    const candles = parseCandleBatch(text, at, Date.now());
    await this.simulation.addPastBars(known, at, candles);
    return { symbol: known, interval: at, taken: this.bars.addBars(known, at, candles) };
  }
}
