import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { FeedLease } from '../bus/feed-lease.js';

/**
 * Who feeds, for a process that runs the simulated market: `held` (with its fence) or
 * `standby` (with the holder it waits on). Either is up: a standby is ready to do its job, which
 * is to wait, and a fleet rolled out one process at a time must not stall on it.
 */
@Injectable()
export class FeedLeaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly lease: FeedLease,
  ) {}

  /** Nothing for a process that is not a feed. */
  check(): HealthIndicatorResult<'feed'> | undefined {
    const state = this.lease.state;
    const check = this.indicators.check('feed');
    switch (state.kind) {
      case 'none':
        return undefined;
      case 'held':
        return check.up({ lease: 'held', fence: state.fence, holder: state.holder });
      case 'standby':
        return check.up({ lease: 'standby', holder: state.holder ?? 'unknown yet' });
    }
  }
}
