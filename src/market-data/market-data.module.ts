import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { CandlesService } from './candles.service.js';
import { SimulatedFeedService } from './simulated-feed.service.js';
import { SymbolRegistry } from './symbol-registry.service.js';
import { SymbolsController } from './symbols.controller.js';
import { TicksController } from './ticks.controller.js';

@Module({
  imports: [BusModule],
  controllers: [SymbolsController, TicksController],
  providers: [SymbolRegistry, SimulatedFeedService, CandlesService],
  exports: [SymbolRegistry],
})
export class MarketDataModule {}
