import { Module } from '@nestjs/common';
import { BusModule } from '../bus/bus.module.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.service.js';

@Module({
  imports: [BusModule],
  controllers: [MetricsController],
  providers: [Metrics],
  exports: [Metrics],
})
export class MetricsModule {}
