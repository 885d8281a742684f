import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BusHealth } from '../bus/bus-health.js';
import { AppConfig } from '../config/app-config.js';

/** Up while the bus can publish and deliver: always for memory; for Redis, reachable and read. */
@Injectable()
export class BusHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly bus: BusHealth,
    private readonly config: AppConfig,
  ) {}

  check(): HealthIndicatorResult<'bus'> {
    const check = this.indicators.check('bus');
    const details = { kind: this.config.BUS };
    return this.bus.ready ? check.up(details) : check.down(details);
  }
}
