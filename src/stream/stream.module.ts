import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { MarketDataModule } from '../market-data/market-data.module.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

@Module({
  imports: [BusModule, MarketDataModule],
  controllers: [StreamController],
  providers: [StreamService],
})
export class StreamModule {}
