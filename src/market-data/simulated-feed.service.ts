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

/** Publishes the simulated market on the bus at TICKS_PER_SECOND, when FEED=simulated. */
@Injectable()
export class SimulatedFeedService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulatedFeedService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SymbolRegistry,
    private readonly bus: TickBus,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.FEED !== 'simulated') {
      return;
    }
    const seed = this.config.FEED_SEED ?? Math.floor(Math.random() * 2 ** 32);
    const rate = this.config.TICKS_PER_SECOND;
    const walk = new RandomWalk(this.registry.profiles, seed, rate);
    this.logger.log(
      `simulated feed: ${this.registry.profiles.length} symbols, ${rate} ticks/s, FEED_SEED=${seed}`,
    );
    walk.openingQuotes(Date.now()).forEach((quote) => this.publish(quote));
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
        for (; due >= 1; due--) {
          this.publish(walk.next(now));
        }
      },
      Math.min(MAX_PERIOD_MS, 1000 / rate),
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private publish(quote: Quote): void {
    this.bus.publish(quote).catch((error: unknown) => {
      this.logger.error(`publishing ${quote.symbol} failed: ${String(error)}`);
    });
  }
}
