import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { compareEventIds, type EventId } from '@tickstream/client/contract';
import { readyWithin } from './redis-connection.js';
import { parseRead, type StreamBounds } from './redis-replies.js';
import { BusUnavailableError } from './bus-health.js';
import type { MarketEvent } from './market-event.js';

const BLOCK_MS = 1_000;
const READ_COUNT = 1_000;
/** The loop is stalled when no read has come back for this long, though each blocks at most BLOCK_MS. */
const STALL_MS = BLOCK_MS + 2_000;

/** What the read loop asks of the bus, and tells it. */
export interface StreamTailHooks {
  /** The id to start after: the stream's head when the loop first runs. */
  startAfter(): Promise<EventId>;
  /** The stream's bounds, none when it does not exist. */
  bounds(): Promise<StreamBounds | undefined>;
  deliver(events: MarketEvent[]): void;
  /** Called with the last id delivered when ticks after it were trimmed before being read. */
  missed(after: EventId): void;
}

/**
 * The instance's one blocking XREAD loop, on a connection of its own: it hands every entry of
 * the stream, in order, to `deliver`. After an outage it goes on from the last id it saw, so
 * what was published meanwhile is delivered too, in order; if trimming has dropped some of it
 * meanwhile, it says so through `missed` before going on.
 */
export class RedisStreamTail {
  private lastId: EventId | undefined;
  private answeredAt = 0;
  private failing = false;
  /** Set when the connection was lost: the stream may have moved past `lastId` meanwhile. */
  private checkCoverage = false;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly hooks: StreamTailHooks,
    private readonly logger: Logger,
  ) {}

  /** Connected, and a read came back recently: the loop is neither down nor stuck. */
  get ready(): boolean {
    return (
      !this.stopped && this.redis.status === 'ready' && Date.now() - this.answeredAt < STALL_MS
    );
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.lastId ??= await this.hooks.startAfter();
        if (this.checkCoverage) {
          await this.checkCovered(this.lastId);
          this.checkCoverage = false;
        }
        const reply = await this.redis.call(
          'XREAD',
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.key,
          this.lastId,
        );
        this.answeredAt = Date.now();
        this.recovered();
        const events = parseRead(reply);
        const last = events.at(-1);
        if (last) {
          this.lastId = last.id;
          this.hooks.deliver(events);
        }
      } catch (error) {
        await this.pause(error);
      }
    }
  }

  private async pause(error: unknown): Promise<void> {
    if (this.stopped) {
      return;
    }
    if (this.redis.status !== 'ready') {
      // A lost connection, which the connection reports itself: wait until it is back.
      this.checkCoverage = true;
      await readyWithin(this.redis, BLOCK_MS);
      return;
    }
    if (error instanceof BusUnavailableError) {
      // The other connection is down, and says so itself.
      await sleep(BLOCK_MS);
      return;
    }
    if (!this.failing) {
      this.failing = true;
      this.logger.error(`reading the tick stream failed, retrying every second: ${String(error)}`);
    }
    await sleep(BLOCK_MS);
  }

  /**
   * A stream created before `lastId` (the same one) that no longer holds what follows it was
   * trimmed while this loop was away. A stream created after it is one that Redis lost and made
   * anew: what it holds is all there is, and the loop goes on with it.
   */
  private async checkCovered(lastId: EventId): Promise<void> {
    const bounds = await this.hooks.bounds();
    if (
      bounds &&
      compareEventIds(bounds.origin, lastId) <= 0 &&
      compareEventIds(lastId, bounds.floor) < 0
    ) {
      this.hooks.missed(lastId);
    }
  }

  private recovered(): void {
    if (this.failing) {
      this.failing = false;
      this.logger.log('reading the tick stream again');
    }
  }
}
