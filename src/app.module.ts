import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { MarketDataModule } from './market-data/market-data.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { StreamModule } from './stream/stream.module.js';
import { StreamsElsewhereController } from './stream/streams-elsewhere.controller.js';
import { RefusalFilter } from './validation/refusal.filter.js';
import { RequestValidationPipe } from './validation/request-validation.pipe.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        AuthModule,
        MarketDataModule,
        HealthModule,
        MetricsModule,
        // A feed process publishes; subscribers are served by the edges.
        ...(config.ROLE === 'feed' ? [] : [StreamModule]),
      ],
      controllers: config.ROLE === 'feed' ? [StreamsElsewhereController] : [],
      providers: [
        { provide: APP_PIPE, useClass: RequestValidationPipe },
        { provide: APP_FILTER, useClass: RefusalFilter },
      ],
    };
  }
}
