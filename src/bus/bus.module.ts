import { Module } from '@nestjs/common';
import { MemoryTickBus } from './memory-tick-bus.js';
import { TickBus } from './tick-bus.js';

@Module({
  providers: [{ provide: TickBus, useClass: MemoryTickBus }],
  exports: [TickBus],
})
export class BusModule {}
