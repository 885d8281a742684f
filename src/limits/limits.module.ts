import { Global, Module } from '@nestjs/common';
import { ConnectionLimitInterceptor } from './connection-limit.interceptor.js';
import { ConnectionRegistry } from './connection-registry.service.js';

/**
 * Stream connection limits: ConnectionLimitInterceptor on the SSE route. (The REST rate limit is
 * Express middleware, applied in createApp: see rest-rate-limit.ts.)
 */
@Global()
@Module({
  providers: [ConnectionRegistry, ConnectionLimitInterceptor],
  exports: [ConnectionRegistry, ConnectionLimitInterceptor],
})
export class LimitsModule {}
