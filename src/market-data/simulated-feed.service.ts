import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { TickBus } from '../bus/tick-bus.js';
import { AppConfig } from '../config/app-config.js';
import { runFeedClock } from './feed-clock.js';
import type { Quote } from '@tickstream/client/contract';
import { RandomWalk } from './random-walk.js';
import { SymbolRegistry } from './symbol-registry.service.js';

/**
 * Publishes the simulated market on the bus at TICKS_PER_SECOND, when FEED=simulated and the
 * process has the feed role. Ticks that fall due together go out as one batch.
 */
@Injectable()
export class SimulatedFeedService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulatedFeedService.name);
  private stop: (() => void) | undefined;
  /** Batches lost in the current bus outage; the outage is logged once, not per batch. */
  private failedBatches = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SymbolRegistry,
    private readonly bus: TickBus,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.FEED !== 'simulated' || this.config.ROLE === 'edge') {
      return;
    }
    const seed = this.config.FEED_SEED ?? Math.floor(Math.random() * 2 ** 32);
    const rate = this.config.TICKS_PER_SECOND;
    const walk = new RandomWalk(this.registry.profiles, seed, rate);
    this.logger.log(
      `simulated feed: ${this.registry.profiles.length} symbols, ${rate} ticks/s, FEED_SEED=${seed}`,
    );
    this.publish(walk.openingQuotes(Date.now()));
    if (rate === 0) {
      return;
    }
    this.stop = runFeedClock(walk, rate, (quotes) => this.publish(quotes));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  /** Ticks that the bus refuses (Redis down) are dropped, not queued: the market moves on. */
  private publish(quotes: Quote[]): void {
    if (quotes.length === 0) {
      return;
    }
    this.bus.publishAll(quotes).then(
      () => {
        if (this.failedBatches > 0) {
          this.logger.log(`publishing again; ${this.failedBatches} batches were dropped`);
          this.failedBatches = 0;
        }
      },
      (error: unknown) => {
        if (this.failedBatches++ === 0) {
          this.logger.error(
            `publishing failed, dropping ticks until the bus is back: ${String(error)}`,
          );
        }
      },
    );
  }
}
