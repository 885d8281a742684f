import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { PATHS } from '@tickstream/client/contract';
import { BusModule } from '../bus/bus.module.js';
import type { IngestRoute } from '../market-data/ingest/ingest-rate-limit.guard.js';
import { MarketDataModule } from '../market-data/market-data.module.js';
import { FeedMetrics } from './feed-metrics.service.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.service.js';

/** Where a feed posts to, by route. */
const INGEST_PATHS: Record<IngestRoute, string> = {
  ticks: PATHS.ticks,
  status: PATHS.status,
  session: 'api/symbols/:symbol/session',
  candles: 'api/symbols/:symbol/candles',
};

@Module({
  imports: [BusModule, MarketDataModule],
  controllers: [MetricsController],
  providers: [Metrics, FeedMetrics],
  exports: [Metrics],
})
export class MetricsModule implements NestModule {
  constructor(private readonly feed: FeedMetrics) {}

  /** Before any guard: a refusal is counted whoever answered it. */
  configure(consumer: MiddlewareConsumer): void {
    for (const [route, path] of Object.entries(INGEST_PATHS) as [IngestRoute, string][]) {
      consumer
        .apply(this.feed.refusalCounter(route))
        .forRoutes({ path, method: RequestMethod.POST });
    }
  }
}
