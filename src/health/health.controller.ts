import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { BusHealthIndicator } from './bus.health.js';

/** Probes for a load balancer or orchestrator: 200 when healthy, 503 when not. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly busHealth: BusHealthIndicator,
  ) {}

  /** The process is up and answering. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** The instance can serve streams: its bus is connected and delivering. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.busHealth.check()]);
  }
}
