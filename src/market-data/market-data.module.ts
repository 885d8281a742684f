import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { BarBook } from './bars/bar-book.service.js';
import { FeedCounters } from './feed-counters.js';
import { SimulatedFeedService } from './simulation/simulated-feed.service.js';
import { StatusController } from './ingest/status.controller.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import { SymbolsController } from './symbols.controller.js';
import { PostedCandlesController } from './ingest/posted-candles.controller.js';
import { TicksController } from './ingest/ticks.controller.js';
import { TradingSessionController } from './ingest/trading-session.controller.js';
import { TradingStates } from './trading-states.service.js';

@Module({
  imports: [BusModule],
  controllers: [
    SymbolsController,
    TicksController,
    StatusController,
    TradingSessionController,
    PostedCandlesController,
  ],
  providers: [SymbolRegistry, SimulatedFeedService, BarBook, TradingStates, FeedCounters],
  exports: [SymbolRegistry, BarBook, TradingStates, FeedCounters],
})
export class MarketDataModule {}
