import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { TickBus } from '../bus/tick-bus.js';
import { AppConfig } from '../config/app-config.js';
import type { Quote } from './quote.js';
import { RandomWalk } from './random-walk.js';
import { SymbolRegistry } from './symbol-registry.service.js';

/** Timer period: short enough for smooth flow, long enough to batch ticks at high rates. */
const MAX_PERIOD_MS = 10;
/** After a stall (GC, a busy loop) catch up at most this much, rather than flood subscribers. */
const MAX_CATCH_UP_MS = 1_000;

/**
 * Publishes the simulated market on the bus at TICKS_PER_SECOND, when FEED=simulated and the
 * process has the feed role. Ticks that fall due together go out as one batch.
 */
@Injectable()
export class SimulatedFeedService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulatedFeedService.name);
  private timer: NodeJS.Timeout | undefined;
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
    let due = 0;
    let last = Date.now();
    this.timer = setInterval(
      () => {
        const now = Date.now();
        due += (Math.min(now - last, MAX_CATCH_UP_MS) * rate) / 1000;
        last = now;
        const quotes: Quote[] = [];
        for (; due >= 1; due--) {
          quotes.push(walk.next(now));
        }
        this.publish(quotes);
      },
      Math.min(MAX_PERIOD_MS, 1000 / rate),
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
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
