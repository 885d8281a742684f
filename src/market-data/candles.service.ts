import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { TickBus } from '../bus/tick-bus.js';
import { AppConfig } from '../config/app-config.js';
import { CANDLE_INTERVALS, type Candle, type CandleInterval } from '@tickstream/client/contract';
import { CandleSeries } from './candle-series.js';

/** OHLCV bars of every symbol at every interval, built from the bus's ticks. */
@Injectable()
export class CandlesService implements OnModuleInit, OnModuleDestroy {
  private readonly series = new Map<string, Record<CandleInterval, CandleSeries>>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly bus: TickBus,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.subscription = this.bus.allTicks.subscribe(({ quote }) => {
      let bySymbol = this.series.get(quote.symbol);
      if (!bySymbol) {
        bySymbol = {
          '1s': new CandleSeries(CANDLE_INTERVALS['1s'], this.config.CANDLE_HISTORY),
          '1m': new CandleSeries(CANDLE_INTERVALS['1m'], this.config.CANDLE_HISTORY),
        };
        this.series.set(quote.symbol, bySymbol);
      }
      bySymbol['1s'].add(quote);
      bySymbol['1m'].add(quote);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** The newest `limit` bars, oldest first; empty for a symbol that has not traded. */
  candles(symbol: string, interval: CandleInterval, limit: number): Candle[] {
    return this.series.get(symbol)?.[interval].latest(limit) ?? [];
  }
}
