import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { BusHealthIndicator } from './bus.health.js';
import { FeedLeaseHealthIndicator } from './feed-lease.health.js';

/** Probes for a load balancer or orchestrator: 200 when healthy, 503 when not. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly busHealth: BusHealthIndicator,
    private readonly feedHealth: FeedLeaseHealthIndicator,
  ) {}

  /** The process is up and answering. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * The instance can serve streams: its bus is connected and delivering. A feed says too whether
   * it holds the feed lease or waits as a standby, ready either way.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const feed = this.feedHealth.check();
    return this.health.check([() => this.busHealth.check(), ...(feed ? [() => feed] : [])]);
  }
}
