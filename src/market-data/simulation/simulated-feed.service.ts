import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Quote, StatusData, TradingState } from '@tickstream/client/contract';
import { TickBus } from '../../bus/tick-bus.js';
import { AppConfig } from '../../config/app-config.js';
import { backfill } from './backfill.js';
import { FeedCounters } from '../feed-counters.js';
import { BarBook } from '../bars/bar-book.service.js';
import { runFeedClock } from './feed-clock.js';
import { LimitBands } from './limit-bands.js';
import { MarketHours } from './market-hours.js';
import { RandomWalk } from './random-walk.js';
import { SymbolRegistry } from '../symbol-registry.service.js';
import { TradingStates } from '../trading-states.service.js';

/** How often the market's hours are looked at. */
const HOURS_CHECK_MS = 1_000;

/**
 * The simulated market, when FEED=simulated and the process has the feed role: it makes up the
 * recent past at start (so charts are full) and the day so far (unless the bus holds it), then publishes quotes at TICKS_PER_SECOND, the
 * quotes that fall due together as one batch. It keeps MARKET_HOURS, and halts a symbol that
 * moves out of its limit-up/limit-down band for LULD_HALT_MS. A real feed's word wins: a symbol
 * that one halted or closed (POST /api/status) is left alone by the hours and the halts here until
 * one reopens it.
 */
@Injectable()
export class SimulatedFeedService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulatedFeedService.name);
  private readonly stops: (() => void)[] = [];
  /** Batches lost in the current bus outage; the outage is logged once, not per batch. */
  private failedBatches = 0;
  /** Symbols this feed halted, until it reopens them. */
  private readonly halted = new Set<string>();
  private readonly reopenings = new Set<NodeJS.Timeout>();
  /** The last status this feed published of each symbol, to tell its own from a real feed's. */
  private readonly own = new Map<string, StatusData>();
  private open = true;
  private destroyed = false;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SymbolRegistry,
    private readonly bus: TickBus,
    private readonly bars: BarBook,
    private readonly states: TradingStates,
    private readonly counters: FeedCounters,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.FEED !== 'simulated' || this.config.ROLE === 'edge') {
      return;
    }
    const { profiles } = this.registry;
    const seed = this.config.FEED_SEED ?? Math.floor(Math.random() * 2 ** 32);
    const rate = this.config.TICKS_PER_SECOND;
    const walk = new RandomWalk(profiles, seed, rate, this.config.NEWS_JUMPS_PER_HOUR);
    this.logger.log(
      `simulated feed: ${profiles.length} symbols, ${rate} ticks/s, FEED_SEED=${seed}`,
    );
    const now = Date.now();
    const past = backfill(profiles, seed, rate, now);
    this.bars.addPast(past);
    this.bus.savePast(past).catch((error: unknown) => {
      this.logger.warn(`the market's past was not saved for other instances: ${String(error)}`);
    });
    const hours = new MarketHours(this.config.MARKET_HOURS);
    const bands = new LimitBands(this.config.LULD_BAND_PCT, this.config.LULD_WINDOW_MS);
    // The day the bus holds wins over the one made up: on Redis, a restarted market goes on with
    // the day's figures it had. The first trades wait for the sessions, so that none opens one.
    const sessions = new Map([...past].map(([symbol, { day }]) => [symbol, day]));
    const trade = (): void => {
      if (this.destroyed) {
        return;
      }
      // The opening prints are the last prices, also of a market that is closed now.
      this.publish(walk.openingQuotes(now), bands);
      this.keepHours(hours);
      if (rate > 0) {
        this.stops.push(runFeedClock(walk, rate, (quotes) => this.publish(quotes, bands)));
      }
    };
    this.bus.startSessions(sessions, true).then(trade, (error: unknown) => {
      this.logger.warn(`the sessions were not begun: ${String(error)}`);
      trade();
    });
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    this.stops.splice(0).forEach((stop) => stop());
    this.reopenings.forEach((timer) => clearTimeout(timer));
  }

  /** Opens and closes every symbol with the market's hours. */
  private keepHours(hours: MarketHours): void {
    const check = (): void => {
      const open = hours.isOpen(Date.now());
      if (open !== this.open) {
        this.open = open;
        this.setAll(open ? 'open' : 'closed', open ? 'the market opened' : 'the market closed');
      }
    };
    check();
    const timer = setInterval(check, HOURS_CHECK_MS);
    this.stops.push(() => clearInterval(timer));
  }

  private setAll(state: TradingState, reason: string): void {
    for (const { symbol } of this.registry.profiles) {
      if (!this.halted.has(symbol) && !this.stoppedByRealFeed(symbol)) {
        this.setState(symbol, state, reason);
      }
    }
  }

  /** Whether the symbol's last status is a real feed's, and stops it. */
  private stoppedByRealFeed(symbol: string): boolean {
    const last = this.states.statusOf(symbol);
    const own = this.own.get(symbol);
    const ours =
      own !== undefined &&
      last !== undefined &&
      last.ts === own.ts &&
      last.state === own.state &&
      last.reason === own.reason;
    return last !== undefined && last.state !== 'open' && !ours;
  }

  /**
   * Publishes the quotes of symbols that trade. One that leaves its band does not print: the
   * symbol halts, and reopens after LULD_HALT_MS.
   */
  private publish(quotes: Quote[], bands: LimitBands): void {
    const now = Date.now();
    const trading = quotes.filter(({ symbol, price }) => {
      if (!this.open || this.halted.has(symbol) || !this.states.trades(symbol)) {
        return false;
      }
      const breach = bands.check(symbol, price, now);
      if (breach !== undefined) {
        this.halt(symbol, breach, bands);
      }
      return breach === undefined;
    });
    if (trading.length === 0) {
      return;
    }
    // A symbol stopped by another instance meanwhile is left out by the bus itself.
    this.bus.publishAll(trading, 'drop').then(
      (ticks) => {
        this.counters.ticks.simulated += ticks.length;
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

  private halt(symbol: string, reason: string, bands: LimitBands): void {
    this.halted.add(symbol);
    this.setState(symbol, 'halted', reason);
    const reopen = setTimeout(() => {
      this.reopenings.delete(reopen);
      this.halted.delete(symbol);
      bands.reset(symbol);
      if (this.stoppedByRealFeed(symbol)) {
        return;
      }
      this.setState(
        symbol,
        this.open ? 'open' : 'closed',
        'reopened after a limit up-limit down pause',
      );
    }, this.config.LULD_HALT_MS);
    this.reopenings.add(reopen);
  }

  /** Status changes the bus refuses (Redis down) are logged, not retried: hours come round again. */
  private setState(symbol: string, state: TradingState, reason: string): void {
    const status: StatusData = { symbol, state, reason, ts: Date.now() };
    this.own.set(symbol, status);
    this.bus.publishStatus(status).catch((error: unknown) => {
      this.logger.warn(`${symbol} ${state} not published: ${String(error)}`);
    });
  }
}
