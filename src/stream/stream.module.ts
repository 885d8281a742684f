import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { MarketDataModule } from '../market-data/market-data.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ConnectionLimitGuard } from './connection-limit.guard.js';
import { OpenStreams } from './open-streams.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

@Module({
  imports: [BusModule, MarketDataModule, MetricsModule],
  controllers: [StreamController],
  providers: [StreamService, OpenStreams, ConnectionLimitGuard],
  exports: [OpenStreams],
})
export class StreamModule {}
