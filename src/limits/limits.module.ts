import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { SymbolsController } from '../market-data/symbols.controller.js';
import { ConnectionLimitInterceptor } from './connection-limit.interceptor.js';
import { ConnectionRegistry } from './connection-registry.service.js';
import { restRateLimit } from './rest-rate-limit.js';

/**
 * Stream connection limits (ConnectionLimitInterceptor on the SSE route) and the REST rate
 * limit (on the market-data REST routes; never on streams, which the connection limits cover).
 */
@Global()
@Module({
  providers: [ConnectionRegistry, ConnectionLimitInterceptor],
  exports: [ConnectionRegistry, ConnectionLimitInterceptor],
})
export class LimitsModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(restRateLimit(this.config)).forRoutes(SymbolsController);
  }
}
