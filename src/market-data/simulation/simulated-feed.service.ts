import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Quote, StatusData, TradingState } from '@tickstream/client/contract';
import { FeedLease, FencedError, type Fence } from '../../bus/feed-lease.js';
import { EventLog } from '../../bus/event-log.js';
import { LatestValues } from '../../bus/latest-values.js';
import { AppConfig } from '../../config/app-config.js';
import { backfill } from './backfill.js';
import { FeedCounters } from '../feed-counters.js';
import { BarBook } from '../bars/bar-book.service.js';
import { runFeedClock } from './feed-clock.js';
import { LimitBands } from './limit-bands.js';
import { SimulationStore } from './simulation-store.js';
import { MarketHours } from './market-hours.js';
import { RandomWalk } from './random-walk.js';
import { SymbolRegistry } from '../symbol-registry.service.js';
import { TradingStates } from '../trading-states.service.js';

/** How often the market's hours are looked at. */
const HOURS_CHECK_MS = 1_000;
/** How often the feed saves its bars on the Redis bus, for instances that start later. */
const PAST_SAVE_MS = 60_000;
/** Tries at the latest quotes when the feed takes over, before it goes on from its own. */
const LATEST_TRIES = 3;
const LATEST_RETRY_MS = 200;

/** The market this process simulates; it moves only while the process holds the feed lease. */
interface Market {
  walk: RandomWalk;
  seed: number;
  hours: MarketHours;
  bands: LimitBands;
}

/**
 * The simulated market, when FEED=simulated and the process has the feed role: one process at a
 * time feeds a log, the holder of the feed lease; another waits as a standby. The holder that
 * opens the log makes up the recent past (so charts are full) and the day so far (unless the
 * bus holds it), and prints the opening quotes; one
 * that takes over goes on from the log's latest quotes. It publishes quotes at TICKS_PER_SECOND,
 * the quotes that fall due together as one batch, every write under the lease's fence. It keeps
 * MARKET_HOURS, and halts a symbol that moves out of its limit-up/limit-down band for
 * LULD_HALT_MS. A real feed's word wins: a symbol that one halted or closed (POST /api/status) is
 * left alone by the hours and the halts here until one reopens it.
 */
@Injectable()
export class SimulatedFeedService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulatedFeedService.name);
  /** What stops the timers of the current lead: the clock, the hours, the past's saving. */
  private readonly stops: (() => void)[] = [];
  /** Batches lost in the current bus outage; the outage is logged once, not per batch. */
  private failedBatches = 0;
  /** Symbols this feed halted, until it reopens them. */
  private readonly halted = new Set<string>();
  private readonly reopenings = new Set<NodeJS.Timeout>();
  /** The last status this feed published of each symbol, to tell its own from a real feed's. */
  private readonly own = new Map<string, StatusData>();
  private open = true;
  private market: Market | undefined;
  /** This process has fed the log before: it never opens the market twice. */
  private opened = false;
  /** The fence of the lease while this process holds it; it writes only then. */
  private fence: Fence | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SymbolRegistry,
    private readonly log: EventLog,
    private readonly latest: LatestValues,
    private readonly bars: BarBook,
    private readonly states: TradingStates,
    private readonly counters: FeedCounters,
    private readonly lease: FeedLease,
    private readonly simulation: SimulationStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.FEED !== 'simulated' || this.config.ROLE === 'edge') {
      return;
    }
    const { profiles } = this.registry;
    const seed = this.config.FEED_SEED ?? Math.floor(Math.random() * 2 ** 32);
    const rate = this.config.TICKS_PER_SECOND;
    this.market = {
      walk: new RandomWalk(profiles, seed, rate, this.config.NEWS_JUMPS_PER_HOUR),
      seed,
      hours: new MarketHours(this.config.MARKET_HOURS),
      bands: new LimitBands(this.config.LULD_BAND_PCT, this.config.LULD_WINDOW_MS),
    };
    this.logger.log(
      `simulated feed: ${profiles.length} symbols, ${rate} ticks/s, FEED_SEED=${seed}`,
    );
    await this.lease.compete({ took: (fence) => this.lead(fence), lost: () => this.stepDown() });
  }

  /**
   * Stops feeding and frees the lease at once: the first step of a shutdown, so that a standby
   * takes over while this process drains its streams.
   */
  async stop(): Promise<void> {
    this.stepDown();
    await this.lease.release();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Feeds the log under `fence`, going on from the market the log holds, if any. */
  private async lead(fence: Fence): Promise<void> {
    const market = this.market;
    if (!market) {
      return;
    }
    this.fence = fence;
    const latest = await this.latestQuotes();
    const statuses = await this.simulatedStatuses();
    if (this.fence !== fence) {
      return;
    }
    const now = Date.now();
    const rate = this.config.TICKS_PER_SECOND;
    if (fence > 1) {
      this.counters.takeovers += 1;
    }
    const continued = latest === undefined ? 0 : market.walk.continueFrom(latest);
    const opened = this.opened;
    this.opened = true;
    if (continued === 0 && opened) {
      // Redis lost the log (a restart without persistence): this feed's own walk goes on.
      this.logger.log(
        `feeding with fence ${fence}; the log holds no quotes, going on from this feed's own`,
      );
    } else if (continued > 0) {
      this.logger.log(
        `feeding with fence ${fence}, going on from the latest quotes of ${continued} symbols`,
      );
    } else {
      // Nothing to go on from: this feed opens the market, with a past made up for its charts.
      const past = backfill(this.registry.profiles, market.seed, rate, now);
      this.bars.addPast(past);
      this.simulation.savePast(past).catch((error: unknown) => {
        this.logger.warn(`the market's past was not saved for other instances: ${String(error)}`);
      });
      // The day the bus holds wins over the one made up: on Redis, a restarted market goes on
      // with the day's figures it had. The first trades wait for the sessions, so none opens one.
      const sessions = new Map([...past].map(([symbol, { day }]) => [symbol, day]));
      await this.latest.startSessions(sessions, true).catch((error: unknown) => {
        this.logger.warn(`the sessions were not begun: ${String(error)}`);
      });
      if (this.fence !== fence) {
        return;
      }
      // The opening prints are the last prices, also of a market that is closed now.
      this.publish(market.walk.openingQuotes(now), market.bands);
    }
    this.takeOver(statuses, market.bands, now);
    this.keepHours(market.hours);
    this.keepPastSaved();
    if (rate > 0) {
      this.stops.push(
        runFeedClock(market.walk, rate, (quotes) => this.publish(quotes, market.bands)),
      );
    }
  }

  /** The log's latest quotes; undefined when they cannot be read (the walk then goes on its own). */
  private async latestQuotes(): Promise<Quote[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.latest.snapshot('all')).quotes;
      } catch (error) {
        if (attempt === LATEST_TRIES) {
          this.logger.warn(
            `the latest quotes were not read; the walk goes on from its own: ${String(error)}`,
          );
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, LATEST_RETRY_MS));
      }
    }
  }

  /** The simulated market's last statuses, as the feeds before this one saved them. */
  private async simulatedStatuses(): Promise<StatusData[]> {
    try {
      return await this.simulation.loadStatuses();
    } catch (error) {
      this.logger.warn(`the simulated market's statuses were not read: ${String(error)}`);
      return [];
    }
  }

  /**
   * Takes the simulated market's word from the feeds before this one, so that their halts and
   * closes count as its own (not a real feed's, which it would leave alone), and reopens their
   * halts when due.
   */
  private takeOver(statuses: readonly StatusData[], bands: LimitBands, now: number): void {
    for (const status of statuses) {
      const own = this.own.get(status.symbol);
      if (own === undefined || own.ts < status.ts) {
        this.own.set(status.symbol, status);
      }
      const last = this.states.statusOf(status.symbol);
      const pending =
        status.state === 'halted' && last?.ts === status.ts && !this.halted.has(status.symbol);
      if (pending && !this.stoppedByRealFeed(status.symbol)) {
        this.halted.add(status.symbol);
        this.reopenAfter(status.symbol, status.ts + this.config.LULD_HALT_MS - now, bands);
      }
    }
  }

  /** Stops writing at once: the lease is another's, or this process stops. */
  private stepDown(): void {
    if (this.fence === undefined) {
      return;
    }
    this.fence = undefined;
    this.stops.splice(0).forEach((stop) => stop());
    this.reopenings.forEach((timer) => clearTimeout(timer));
    this.reopenings.clear();
    this.halted.clear();
  }

  /** On the Redis bus, the holder saves its bars now and then for instances that start later. */
  private keepPastSaved(): void {
    if (this.config.BUS !== 'redis') {
      return;
    }
    const timer = setInterval(() => {
      this.simulation.savePast(this.bars.past()).catch(() => {
        // The next save comes round; an instance that starts meanwhile reads the one before.
      });
    }, PAST_SAVE_MS).unref();
    this.stops.push(() => clearInterval(timer));
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
      // A state the symbol is in already (a feed before this one said so) is not said again.
      if (
        !this.halted.has(symbol) &&
        !this.stoppedByRealFeed(symbol) &&
        this.states.stateOf(symbol) !== state
      ) {
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
    const fence = this.fence;
    if (fence === undefined) {
      return;
    }
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
    this.log.publishAll(trading, 'drop', fence).then(
      (ticks) => {
        this.counters.ticks.simulated += ticks.length;
        if (this.failedBatches > 0) {
          this.logger.log(`publishing again; ${this.failedBatches} batches were dropped`);
          this.failedBatches = 0;
        }
      },
      (error: unknown) => this.failed(error),
    );
  }

  /** A fenced write means another feed took over: this one steps down. */
  private failed(error: unknown): void {
    if (error instanceof FencedError) {
      this.counters.fencedWrites += 1;
      this.lease.fenced(error.fence, error.current);
      return;
    }
    if (this.failedBatches++ === 0) {
      this.logger.error(
        `publishing failed, dropping ticks until the bus is back: ${String(error)}`,
      );
    }
  }

  private halt(symbol: string, reason: string, bands: LimitBands): void {
    this.halted.add(symbol);
    this.setState(symbol, 'halted', reason);
    this.reopenAfter(symbol, this.config.LULD_HALT_MS, bands);
  }

  /** Reopens a symbol this simulated market halted, `delayMs` from now, unless a real feed spoke. */
  private reopenAfter(symbol: string, delayMs: number, bands: LimitBands): void {
    const reopen = setTimeout(
      () => {
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
      },
      Math.max(0, delayMs),
    );
    this.reopenings.add(reopen);
  }

  /** Status changes the bus refuses (Redis down) are logged, not retried: hours come round again. */
  private setState(symbol: string, state: TradingState, reason: string): void {
    const fence = this.fence;
    if (fence === undefined) {
      return;
    }
    const status: StatusData = { symbol, state, reason, ts: Date.now() };
    this.own.set(symbol, status);
    this.log.publishStatus(status, fence).then(
      // Kept for a feed that takes over: it goes on with this word as its own.
      () =>
        this.simulation.saveStatus(status).catch((error: unknown) => {
          this.logger.warn(`${symbol} ${state} not kept for a later feed: ${String(error)}`);
        }),
      (error: unknown) => {
        if (error instanceof FencedError) {
          this.failed(error);
        } else {
          this.logger.warn(`${symbol} ${state} not published: ${String(error)}`);
        }
      },
    );
  }
}
