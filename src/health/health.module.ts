import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BusModule } from '../bus/bus.module.js';
import { BusHealthIndicator } from './bus.health.js';
import { FeedLeaseHealthIndicator } from './feed-lease.health.js';
import { HealthController } from './health.controller.js';

@Module({
  // An outage is logged once by the bus; a probe every few seconds must not log it again.
  imports: [TerminusModule.forRoot({ logger: false }), BusModule],
  controllers: [HealthController],
  providers: [BusHealthIndicator, FeedLeaseHealthIndicator],
})
export class HealthModule {}
