import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../config/app-config.js';
import type {
  Candle,
  CandleInterval,
  DayFigures,
  EventId,
  Quote,
  StatusData,
} from '@tickstream/client/contract';
import type { DayRecord } from './day-record.js';
import { connectRedis, readyWithin } from './redis-connection.js';
import {
  parseEntries,
  parseStreamBounds,
  UnexpectedReplyError,
  type StreamBounds,
} from './redis-replies.js';
import { RedisStreamTail } from './redis-stream-tail.js';
import type { HistoryPage } from './history-page.js';
import type { MarketEvent } from './market-event.js';
import { nextTurn, PUBLISH_SLICE } from './publish-turns.js';
import { toStatusChange, type StatusChange } from './status-change.js';
import { withPostedBars, type SymbolPast } from './symbol-past.js';
import { SymbolStreams } from './symbol-streams.js';
import {
  BusUnavailableError,
  HistoryGapError,
  SymbolStoppedError,
  TickBus,
  type Snapshot,
  type SymbolSelection,
  type WhenStopped,
} from './tick-bus.js';
import { isResumable } from './tick-history.js';
import { toTick, type Tick } from './tick.js';

/** How long start-up waits for Redis before going on, not ready, and reconnecting meanwhile. */
const STARTUP_WAIT_MS = 2_000;

/**
 * The bus of a deployment of many instances: ticks go into one Redis Stream, whose entry ids are
 * the event ids, and each instance fans out what its read loop sees through its own per-symbol
 * streams. History and latest quotes live in Redis, so any instance can snapshot or resume.
 */
export class RedisTickBus extends TickBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisTickBus.name);
  private readonly streams = new SymbolStreams();
  private readonly streamKey: string;
  private readonly latestKey: string;
  private readonly statesKey: string;
  private readonly stoppedKey: string;
  private readonly pastKey: string;
  private readonly daysKey: string;
  private readonly pastChangesKey: string;
  private readonly commands: Redis;
  private readonly tail: RedisStreamTail;

  constructor(private readonly config: AppConfig) {
    super();
    this.streamKey = `${config.REDIS_PREFIX}:ticks`;
    this.latestKey = `${config.REDIS_PREFIX}:latest`;
    this.statesKey = `${config.REDIS_PREFIX}:states`;
    this.stoppedKey = `${config.REDIS_PREFIX}:stopped`;
    this.pastKey = `${config.REDIS_PREFIX}:past`;
    this.daysKey = `${config.REDIS_PREFIX}:days`;
    this.pastChangesKey = `${config.REDIS_PREFIX}:past-changes`;
    this.commands = connectRedis(config.REDIS_URL, 'commands', this.logger);
    this.tail = new RedisStreamTail(
      connectRedis(config.REDIS_URL, 'stream-reader', this.logger),
      this.streamKey,
      {
        startAfter: async () => (await this.snapshot([])).head,
        bounds: async () => (await this.read()).bounds,
        deliver: (events) => events.forEach((event) => this.streams.emit(event)),
        missed: (after) => {
          this.logger.warn(
            `ticks after ${after} were trimmed before this instance read them; ` +
              `its ${this.streams.subscriberCount} subscriptions end and their clients are reset`,
          );
          this.streams.fail(new HistoryGapError(after));
        },
      },
      this.logger,
    );
  }

  get allEvents(): Observable<MarketEvent> {
    return this.streams.all;
  }

  get subscriberCount(): number {
    return this.streams.subscriberCount;
  }

  get location(): string {
    // The host only: the URL may carry a password.
    return `Redis stream ${this.streamKey} on ${new URL(this.config.REDIS_URL).host}`;
  }

  get ready(): boolean {
    return this.commands.status === 'ready' && this.tail.ready;
  }

  async onModuleInit(): Promise<void> {
    if (!(await readyWithin(this.commands, STARTUP_WAIT_MS))) {
      this.logger.warn(
        // The host only: the URL may carry a password.
        `Redis at ${new URL(this.config.REDIS_URL).host} is not reachable yet; starting not ready`,
      );
    }
    this.tail.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.streams.complete();
    await this.tail.stop();
    this.commands.disconnect();
  }

  /**
   * One script call per `chunk` ticks, all in one MULTI/EXEC: Redis runs them one after the
   * other with nothing in between, so the batch is appended whole and in order, or (when the
   * connection fails before EXEC) not at all. One call for the whole batch spread its ticks into
   * the call's arguments, and past about 61,000 ticks that threw a RangeError. The transaction is
   * made a slice per turn of the event loop (nothing is sent before EXEC), and its answer taken
   * the same way: serialising 230,000 ticks in one turn held the process up for seconds.
   */
  async publishAll(quotes: readonly Quote[], whenStopped: WhenStopped = 'refuse'): Promise<Tick[]> {
    if (quotes.length === 0) {
      return [];
    }
    const chunk = 10_000;
    const symbols =
      whenStopped === 'refuse' ? [...new Set(quotes.map(({ symbol }) => symbol))] : [];
    const data: string[] = [];
    const transaction = this.commands.multi();
    for (let start = 0; start < quotes.length; start += chunk) {
      if (start > 0) {
        await nextTurn();
      }
      const end = Math.min(start + chunk, quotes.length);
      for (let i = start; i < end; i++) {
        data.push(JSON.stringify(quotes[i]));
      }
      const args = [
        String(this.config.HISTORY_SIZE),
        whenStopped,
        String(symbols.length),
        ...symbols,
      ];
      for (let i = start; i < end; i++) {
        const { symbol, size, price, ts } = quotes[i];
        args.push(symbol, data[i], String(size), String(price), String(ts));
      }
      void transaction.tickstreamPublish(
        this.streamKey,
        this.latestKey,
        this.stoppedKey,
        this.daysKey,
        ...args,
      );
    }
    const replies = (await this.call(() => transaction.exec())) ?? [];
    const ids = replies.flatMap(([error, reply]) => {
      const stopped = /^STOPPED (\S+)/.exec(error?.message ?? '');
      if (stopped) {
        throw new SymbolStoppedError(stopped[1]);
      }
      if (error) {
        throw new BusUnavailableError(error);
      }
      return Array.isArray(reply) ? (reply as unknown[]) : [];
    });
    if (ids.length !== quotes.length) {
      throw new UnexpectedReplyError('publish', replies);
    }
    const ticks: Tick[] = [];
    for (let i = 0; i < quotes.length; i++) {
      if (i > 0 && i % PUBLISH_SLICE === 0) {
        await nextTurn();
      }
      const id = ids[i];
      if (typeof id === 'string') {
        ticks.push(toTick(id, quotes[i], data[i]));
      }
    }
    return ticks;
  }

  async publishStatus(status: StatusData): Promise<StatusChange> {
    const data = JSON.stringify(status);
    const id = await this.call(() =>
      this.commands.tickstreamPublishStatus(
        this.streamKey,
        this.statesKey,
        this.stoppedKey,
        this.daysKey,
        String(this.config.HISTORY_SIZE),
        status.symbol,
        data,
        status.state,
      ),
    );
    if (typeof id !== 'string') {
      throw new UnexpectedReplyError('publish status', id);
    }
    return toStatusChange(id, status, data);
  }

  events(symbol: string): Observable<MarketEvent> {
    return this.streams.of(symbol);
  }

  async snapshot(symbols: SymbolSelection): Promise<Snapshot> {
    const asked = symbols === 'all' ? [] : symbols;
    const reply = await this.call(() =>
      this.commands.tickstreamSnapshot(
        this.streamKey,
        this.latestKey,
        this.statesKey,
        this.daysKey,
        ...asked,
      ),
    );
    if (!Array.isArray(reply) || ![1, 2, 3].every((part) => Array.isArray(reply[part]))) {
      throw new UnexpectedReplyError('snapshot', reply);
    }
    const [info, quotes, states, days] = reply as [unknown, unknown[], unknown[], unknown[]];
    return {
      head: parseStreamBounds(info).head,
      quotes: parsedJson<Quote>(quotes),
      states: parsedJson<StatusData>(states),
      days: parsedJson<DayRecord>(days),
    };
  }

  async startSessions(sessions: ReadonlyMap<string, DayFigures>, onlyNew = false): Promise<void> {
    if (sessions.size === 0) {
      return;
    }
    const multi = this.commands.multi();
    for (const [symbol, figures] of sessions) {
      const record: DayRecord = { ...figures, symbol, ended: false };
      if (onlyNew) {
        multi.hsetnx(this.daysKey, symbol, JSON.stringify(record));
      } else {
        multi.hset(this.daysKey, symbol, JSON.stringify(record));
      }
    }
    const replies = (await this.call(() => multi.exec())) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) {
      throw new BusUnavailableError(failed[0]);
    }
  }

  async savePast(past: ReadonlyMap<string, SymbolPast>): Promise<void> {
    if (past.size > 0) {
      const fields = [...past].flatMap(([symbol, symbolPast]) => [
        symbol,
        JSON.stringify(symbolPast),
      ]);
      await this.call(() => this.commands.hset(this.pastKey, fields));
    }
  }

  async addPastBars(
    symbol: string,
    interval: CandleInterval,
    bars: readonly Candle[],
  ): Promise<void> {
    const stored = await this.call(() => this.commands.hget(this.pastKey, symbol));
    const past = stored === null ? { bars: {} } : (JSON.parse(stored) as SymbolPast);
    const merged = withPostedBars(past, interval, bars);
    await this.call(() =>
      this.commands
        .multi()
        .hset(this.pastKey, symbol, JSON.stringify(merged))
        .incr(this.pastChangesKey)
        .exec(),
    );
  }

  async pastChanges(): Promise<number> {
    return Number(await this.call(() => this.commands.get(this.pastChangesKey)));
  }

  async loadPast(): Promise<Map<string, SymbolPast>> {
    const stored = await this.call(() => this.commands.hgetall(this.pastKey));
    return new Map(
      Object.entries(stored).map(([symbol, json]) => [symbol, JSON.parse(json) as SymbolPast]),
    );
  }

  async historyFloor(): Promise<EventId> {
    const { bounds } = await this.read();
    if (!bounds) {
      throw new HistoryGapError('0-0');
    }
    return bounds.floor;
  }

  async canResumeFrom(id: EventId): Promise<boolean> {
    const { bounds } = await this.read();
    return bounds !== undefined && isResumable(id, bounds.floor, bounds.head);
  }

  /**
   * One page of the stream after `after`, read together with the stream's bounds, so that a page
   * that trimming overtook is noticed rather than silently skipped.
   */
  async history(
    after: EventId,
    wanted: (symbol: string) => boolean,
    limit: number,
  ): Promise<HistoryPage> {
    const { bounds, page } = await this.read(after, limit);
    if (!bounds || !isResumable(after, bounds.floor, bounds.head)) {
      throw new HistoryGapError(after);
    }
    return {
      events: page.filter((event) => wanted(event.symbol)),
      next: page.at(-1)?.id ?? after,
      end: page.length < limit,
    };
  }

  /**
   * The stream's bounds (none when there is no stream: Redis lost it and nothing has been
   * published since) and, given `after`, a page of the entries after it, read together.
   */
  private async read(
    after?: EventId,
    limit = 0,
  ): Promise<{ bounds?: StreamBounds; page: MarketEvent[] }> {
    const multi = this.commands.multi().xinfo('STREAM', this.streamKey);
    if (after !== undefined) {
      multi.xrange(this.streamKey, `(${after}`, '+', 'COUNT', limit);
    }
    const [info, range] = (await this.call(() => multi.exec())) ?? [];
    if (!info || info[0]) {
      return { page: [] };
    }
    if (range?.[0]) {
      throw range[0];
    }
    return { bounds: parseStreamBounds(info[1]), page: range ? parseEntries(range[1]) : [] };
  }

  /** Runs a Redis call; any failure to get an answer means the bus is unavailable. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new BusUnavailableError(error);
    }
  }
}

/** The JSON values of a reply, leaving out the nils of what is missing. */
function parsedJson<T>(values: unknown[]): T[] {
  return values.flatMap((json) => (typeof json === 'string' ? [JSON.parse(json) as T] : []));
}
