import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { AppConfig } from '../config/app-config.js';
import { BarBook } from './bars/bar-book.service.js';
import { FeedCounters } from './feed-counters.js';
import { MemorySimulationStore } from './simulation/memory-simulation-store.js';
import { RedisSimulationStore } from './simulation/redis-simulation-store.js';
import { SimulationStore } from './simulation/simulation-store.js';
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
  providers: [
    SymbolRegistry,
    SimulatedFeedService,
    BarBook,
    TradingStates,
    FeedCounters,
    {
      provide: SimulationStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SimulationStore =>
        config.BUS === 'redis' ? new RedisSimulationStore(config) : new MemorySimulationStore(),
    },
  ],
  exports: [SymbolRegistry, BarBook, TradingStates, FeedCounters],
})
export class MarketDataModule {}
