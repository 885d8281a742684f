import { Global, Module } from '@nestjs/common';
import { ConnectionLimitGuard } from './connection-limit.guard.js';
import { ConnectionRegistry } from './connection-registry.service.js';

/**
 * Stream connection limits: ConnectionLimitGuard on the SSE route. (The REST rate limit is
 * Express middleware, applied in createApp: see rest-rate-limit.ts.)
 */
@Global()
@Module({
  providers: [ConnectionRegistry, ConnectionLimitGuard],
  exports: [ConnectionRegistry, ConnectionLimitGuard],
})
export class LimitsModule {}
