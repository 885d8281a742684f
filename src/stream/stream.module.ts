import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { MarketDataModule } from '../market-data/market-data.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { SseSinkMiddleware } from './sse-sink.js';
import { StreamController } from './stream.controller.js';
import { StreamService } from './stream.service.js';

@Module({
  imports: [BusModule, MarketDataModule, MetricsModule],
  controllers: [StreamController],
  providers: [StreamService],
})
export class StreamModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SseSinkMiddleware).forRoutes(StreamController);
  }
}
