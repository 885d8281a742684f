import { Controller, Get, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { requireEntitlement } from '../auth/not-entitled.exception.js';
import type { Principal } from '../auth/principal.js';
import { CurrentPrincipal } from '../auth/request-principal.js';
import { TokenGuard } from '../auth/token.guard.js';
import { TickBus } from '../bus/tick-bus.js';
import type { Candle } from './candle.js';
import { CandlesQueryDto } from './candles-query.dto.js';
import { CandlesService } from './candles.service.js';
import type { Quote } from './quote.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import type { SymbolProfile } from './symbol-universe.js';

export interface SymbolInfo {
  symbol: string;
  name: string;
  /** The latest quote; null until the symbol has traded. */
  quote: Quote | null;
}

const DEFAULT_CANDLE_LIMIT = 500;

@Controller('api/symbols')
@UseGuards(TokenGuard)
export class SymbolsController {
  constructor(
    private readonly registry: SymbolRegistry,
    private readonly bus: TickBus,
    private readonly candlesService: CandlesService,
  ) {}

  /** The symbols the caller's token covers. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal): Promise<SymbolInfo[]> {
    return this.describe(
      this.registry.profiles.filter(({ symbol }) => principal.mayAccess(symbol)),
    );
  }

  @Get(':symbol')
  async one(
    @Param('symbol') symbol: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SymbolInfo> {
    const [info] = await this.describe([this.known(symbol, principal)]);
    return info;
  }

  @Get(':symbol/candles')
  candles(
    @Param('symbol') symbol: string,
    @Query() query: CandlesQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Candle[] {
    const { symbol: known } = this.known(symbol, principal);
    const limit = query.limit === undefined ? DEFAULT_CANDLE_LIMIT : Number(query.limit);
    return this.candlesService.candles(known, query.interval ?? '1m', limit);
  }

  /** The profile of a symbol the caller may see: 404 when unknown, 403 when not covered. */
  private known(symbol: string, principal: Principal): SymbolProfile {
    const profile = this.registry.get(symbol);
    if (!profile) {
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        message: `symbol: unknown symbol "${symbol}"`,
        field: 'symbol',
        value: symbol,
      });
    }
    requireEntitlement(principal, 'symbol', [profile.symbol]);
    return profile;
  }

  private async describe(profiles: readonly SymbolProfile[]): Promise<SymbolInfo[]> {
    const { quotes } = await this.bus.snapshot(profiles.map((profile) => profile.symbol));
    const bySymbol = new Map(quotes.map((quote) => [quote.symbol, quote]));
    return profiles.map(({ symbol, name }) => ({
      symbol,
      name,
      quote: bySymbol.get(symbol) ?? null,
    }));
  }
}
