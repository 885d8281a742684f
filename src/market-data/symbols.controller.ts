import { Controller, Get, HttpStatus, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { requireEntitlement } from '../auth/not-entitled.exception.js';
import type { Principal } from '../auth/principal.js';
import { CurrentPrincipal } from '../auth/request-principal.js';
import { TokenGuard } from '../auth/token.guard.js';
import { standingsOf } from '../bus/standings.js';
import { LatestValues } from '../bus/latest-values.js';
import { FieldErrorException } from '../validation/field-error.exception.js';
import { ApiTokenAccess } from '../openapi/api-token-access.decorator.js';
import { NotEntitledErrorDto, RateLimitErrorDto } from '../openapi/error-bodies.dto.js';
import { FieldErrorDto } from '../openapi/error-bodies.dto.js';
import type { Candle, CandlePage, SymbolInfo } from '@tickstream/client/contract';
import { CandleDto } from './candle.dto.js';
import { CandlePageDto } from './candle-page.dto.js';
import { candlePage, readCandleRange } from './candle-range.js';
import {
  CandlesQueryDto,
  DEFAULT_CANDLE_INTERVAL,
  DEFAULT_CANDLE_LIMIT,
} from './candles-query.dto.js';
import { BarBook } from './bars/bar-book.service.js';
import { SymbolInfoSchema } from './symbol-info.dto.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import type { SymbolProfile } from './symbol-universe.js';

const SYMBOL_PARAM = ApiParam({ name: 'symbol', description: 'Case-insensitive', example: 'AAPL' });
const UNKNOWN_SYMBOL = ApiNotFoundResponse({
  type: FieldErrorDto,
  description: 'The symbol is not served here (field "symbol")',
});
const NOT_ENTITLED = ApiForbiddenResponse({
  type: NotEntitledErrorDto,
  description: 'The token does not cover the symbol (field "symbol")',
});

@ApiTags('symbols')
@ApiTokenAccess()
@ApiTooManyRequestsResponse({
  type: RateLimitErrorDto,
  description: 'More than REST_RATE_LIMIT requests from this address in REST_RATE_WINDOW_MS',
  headers: {
    'Retry-After': { description: 'Seconds until the window ends', schema: { type: 'integer' } },
    RateLimit: {
      description: 'limit, remaining and reset (IETF draft 7)',
      schema: { type: 'string' },
    },
  },
})
@Controller('api/symbols')
@UseGuards(TokenGuard)
export class SymbolsController {
  constructor(
    private readonly registry: SymbolRegistry,
    private readonly latest: LatestValues,
    private readonly bars: BarBook,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every symbol served that the token covers, with its latest quote' })
  @ApiOkResponse({
    type: [SymbolInfoSchema],
    description: 'In the order of SYMBOLS (or the built-in list)',
  })
  async list(@CurrentPrincipal() principal: Principal): Promise<SymbolInfo[]> {
    return this.describe(
      this.registry.profiles.filter(({ symbol }) => principal.mayAccess(symbol)),
    );
  }

  @Get(':symbol')
  @ApiOperation({ summary: 'One symbol, with its latest quote' })
  @SYMBOL_PARAM
  @ApiOkResponse({ type: SymbolInfoSchema, description: 'The symbol' })
  @UNKNOWN_SYMBOL
  @NOT_ENTITLED
  async one(
    @Param('symbol') symbol: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SymbolInfo> {
    const [info] = await this.describe([this.known(symbol, principal)]);
    return info;
  }

  @Get(':symbol/candles')
  @ApiOperation({
    summary: 'OHLCV bars of one symbol, oldest first',
    description:
      'Without from, to or cursor: the newest `limit` bars, as an array. With any of them: a page (CandlePage) of the bars that begin in the range, at most `limit`, with the cursor of the next page and the range of bars held.',
  })
  @SYMBOL_PARAM
  @ApiExtraModels(CandleDto, CandlePageDto)
  @ApiOkResponse({
    description: 'Empty until the symbol has traded',
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(CandleDto) } },
        { $ref: getSchemaPath(CandlePageDto) },
      ],
    },
  })
  @ApiBadRequestResponse({
    type: FieldErrorDto,
    description: 'A bad interval, limit, from, to or cursor, or from after to',
  })
  @UNKNOWN_SYMBOL
  @NOT_ENTITLED
  candles(
    @Param('symbol') symbol: string,
    @Query() query: CandlesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Candle[] | CandlePage {
    const { symbol: known } = this.known(symbol, principal);
    const interval = query.interval ?? DEFAULT_CANDLE_INTERVAL;
    const limit = query.limit === undefined ? DEFAULT_CANDLE_LIMIT : Number(query.limit);
    const range = readCandleRange(query, interval);
    return range
      ? candlePage(this.bars, known, interval, range, limit)
      : this.bars.candles(known, interval, limit);
  }

  /** The profile of a symbol the caller may see: 404 when unknown, 403 when not covered. */
  private known(symbol: string, principal: Principal): SymbolProfile {
    const profile = this.registry.get(symbol);
    if (!profile) {
      throw new FieldErrorException(HttpStatus.NOT_FOUND, 'symbol', `unknown symbol "${symbol}"`, {
        value: symbol,
      });
    }
    requireEntitlement(principal, 'symbol', [profile.symbol]);
    return profile;
  }

  private async describe(profiles: readonly SymbolProfile[]): Promise<SymbolInfo[]> {
    const snapshot = await this.latest.snapshot(profiles.map((profile) => profile.symbol));
    const bySymbol = new Map(snapshot.quotes.map((quote) => [quote.symbol, quote]));
    const standingOf = standingsOf(snapshot);
    return profiles.map(({ symbol, name }) => ({
      symbol,
      name,
      quote: bySymbol.get(symbol) ?? null,
      ...standingOf(symbol),
    }));
  }
}
