import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MemoryTickBus } from './memory-tick-bus.js';
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
  ],
  exports: [TickBus],
})
export class BusModule {}
