import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { BusHealth } from './bus-health.js';
import { EventLog } from './event-log.js';
import { FeedLease } from './feed-lease.js';
import { LatestValues } from './latest-values.js';
import { MemoryFeedLease } from './memory-feed-lease.js';
import { MemoryTickBus } from './memory-tick-bus.js';
import { RedisFeedLease } from './redis-feed-lease.js';
import { RedisTickBus } from './redis-tick-bus.js';
import { TickBus } from './tick-bus.js';

@Module({
  providers: [
    {
      provide: TickBus,
      inject: [AppConfig],
      useFactory: (config: AppConfig): TickBus =>
        config.BUS === 'redis' ? new RedisTickBus(config) : new MemoryTickBus(config),
    },
    // One bus, each user seeing only the contract it needs.
    { provide: EventLog, useExisting: TickBus },
    { provide: LatestValues, useExisting: TickBus },
    { provide: BusHealth, useExisting: TickBus },
    {
      provide: FeedLease,
      inject: [AppConfig],
      useFactory: (config: AppConfig): FeedLease =>
        config.BUS === 'redis' ? new RedisFeedLease(config) : new MemoryFeedLease(),
    },
  ],
  exports: [TickBus, EventLog, LatestValues, BusHealth, FeedLease],
})
export class BusModule {}
