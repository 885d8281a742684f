import { Controller, HttpCode, HttpStatus, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { DayFigures } from '@tickstream/client/contract';
import type { IncomingMessage } from 'node:http';
import { LatestValues } from '../../bus/latest-values.js';
import { SessionDocs } from '../../openapi/ingest-docs.decorator.js';
import { FieldErrorException } from '../../validation/field-error.exception.js';
import { SymbolRegistry } from '../symbol-registry.service.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';
import { IngestTokenGuard } from './ingest-token.guard.js';
import { readIngestBody } from './read-ingest-body.js';
import { parseSessionBody } from './session-body.js';

/** A session is a few numbers: far below any body worth reading. */
const MAX_SESSION_BYTES = 4_096;

/**
 * A feed begins a symbol's session: its previous close and, for a session under way, its figures
 * so far. The bus keeps them beside the latest quote and folds every trade after into them.
 */
@ApiTags('ingest')
@Controller('api/symbols')
export class TradingSessionController {
  constructor(
    private readonly latest: LatestValues,
    private readonly registry: SymbolRegistry,
  ) {}

  @Post(':symbol/session')
  @SessionDocs()
  @UseGuards(IngestTokenGuard, IngestRateLimitGuard('session'))
  @HttpCode(HttpStatus.ACCEPTED)
  async begin(
    @Param('symbol') symbol: string,
    @Req() request: IncomingMessage,
  ): Promise<{ symbol: string; day: DayFigures }> {
    const known = this.registry.get(symbol)?.symbol;
    if (known === undefined) {
      throw new FieldErrorException(HttpStatus.NOT_FOUND, 'symbol', `unknown symbol "${symbol}"`, {
        value: symbol,
      });
    }
    // The guard has let the request in: only now is its body read.
    const { text } = await readIngestBody(request, ['application/json'], MAX_SESSION_BYTES);
    const day = parseSessionBody(text, Date.now());
    await this.latest.startSessions(new Map([[known, day]]));
    return { symbol: known, day };
  }
}
