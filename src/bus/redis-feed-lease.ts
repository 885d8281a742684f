import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { FeedLease, type Fence, type LeaseHolder, type LeaseState } from './feed-lease.js';
import { connectRedis, readyWithin } from './redis-connection.js';
import { redisKeys, type RedisKeys } from './redis-keys.js';
import { UnexpectedReplyError } from './redis-replies.js';

/** How long the first attempt waits for Redis; later ones come every third of a lease. */
const CONNECT_WAIT_MS = 2_000;

/**
 * The feed lease in Redis (see RedisKeys): a key holding this process's token that expires after FEED_LEASE_MS
 * unless renewed, which it is every third of that, and a fencing number that grows with every
 * new holder. A standby tries to take it as often as the holder renews it, so it takes over
 * within about one lease of the holder's last renewal.
 */
export class RedisFeedLease extends FeedLease implements OnModuleDestroy {
  readonly name = `${hostname()} pid ${process.pid}`;
  private readonly logger = new Logger('FeedLease');
  private readonly keys: RedisKeys;
  /** Unique to this process's competing: two processes of one name never share it. */
  private readonly token = randomUUID();
  private readonly leaseMs: number;
  private redis: Redis | undefined;
  private holder: LeaseHolder | undefined;
  private timer: NodeJS.Timeout | undefined;
  private held: { fence: Fence; renewedAt: number } | undefined;
  /** Who holds the lease, as last seen while waiting; logged when it changes. */
  private seen: string | undefined;
  private waiting = false;

  constructor(private readonly config: AppConfig) {
    super();
    this.keys = redisKeys(config.REDIS_PREFIX);
    this.leaseMs = config.FEED_LEASE_MS;
  }

  get state(): LeaseState {
    if (this.held) {
      return { kind: 'held', fence: this.held.fence, holder: this.name };
    }
    return this.holder ? { kind: 'standby', holder: this.seen } : { kind: 'none' };
  }

  async compete(holder: LeaseHolder): Promise<void> {
    this.holder = holder;
    this.redis = connectRedis(this.config.REDIS_URL, 'feed-lease', this.logger);
    await readyWithin(this.redis, CONNECT_WAIT_MS);
    await this.attempt();
  }

  fenced(fence: Fence, current: string): void {
    if (this.held?.fence === fence) {
      this.lose(`a write under fence ${fence} was refused, the log's being ${current}`);
    }
  }

  async release(): Promise<void> {
    const redis = this.redis;
    this.holder = undefined;
    this.redis = undefined;
    clearTimeout(this.timer);
    if (!redis) {
      return;
    }
    try {
      if (this.held) {
        this.held = undefined;
        await redis.tickstreamReleaseFeedLease(this.keys.feedLease, this.token);
        this.logger.log('gave the feed lease up: a standby may take over at once');
      }
    } catch (error) {
      this.logger.warn(`the feed lease was not freed, and runs out by itself: ${String(error)}`);
    } finally {
      redis.disconnect();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.release();
  }

  /** Renews the lease, or tries to take it; then again a third of a lease later. */
  private async attempt(): Promise<void> {
    const redis = this.redis;
    if (!redis) {
      return;
    }
    try {
      await (this.held ? this.renew(redis, this.held) : this.take(redis));
    } catch (error) {
      if (this.held && Date.now() - this.held.renewedAt >= this.leaseMs) {
        this.lose(`its renewals failed for FEED_LEASE_MS=${this.leaseMs} (${String(error)})`);
      } else if (!this.held && !this.waiting) {
        this.waiting = true;
        this.logger.warn(`the feed lease cannot be asked for (${String(error)}); trying again`);
      }
    }
    if (this.redis === redis) {
      this.timer = setTimeout(() => void this.attempt(), this.leaseMs / 3);
    }
  }

  private async take(redis: Redis): Promise<void> {
    const askedAt = Date.now();
    const reply = await redis.tickstreamTakeFeedLease(
      this.keys.feedLease,
      this.keys.feedFence,
      this.token,
      this.name,
      String(this.leaseMs),
    );
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'string') {
      throw new UnexpectedReplyError('take the feed lease', reply);
    }
    if (this.redis !== redis) {
      return; // released meanwhile: a lease taken now runs out by itself
    }
    const [fence, holder] = reply as [number, string];
    if (fence === 0) {
      if (holder !== this.seen || !this.waiting) {
        this.logger.log(
          `standby: the feed lease is held by ${holder}; this feed takes over when it is free ` +
            `(FEED_LEASE_MS=${this.leaseMs})`,
        );
      }
      this.seen = holder;
      this.waiting = true;
      return;
    }
    this.held = { fence, renewedAt: askedAt };
    this.waiting = false;
    this.logger.log(
      `took the feed lease with fence ${fence}` +
        (this.seen === undefined ? '' : ` (it was ${this.seen}'s)`),
    );
    this.seen = undefined;
    await this.holder?.took(fence);
  }

  private async renew(redis: Redis, held: { fence: Fence; renewedAt: number }): Promise<void> {
    const askedAt = Date.now();
    const renewed = await redis.tickstreamRenewFeedLease(
      this.keys.feedLease,
      this.token,
      String(this.leaseMs),
    );
    if (this.held !== held) {
      return;
    }
    if (renewed === 1) {
      held.renewedAt = askedAt;
    } else {
      this.lose('it ran out before it was renewed (this process was paused or cut off)');
    }
  }

  private lose(why: string): void {
    const fence = this.held?.fence;
    this.held = undefined;
    this.logger.warn(`lost the feed lease (fence ${fence}): ${why}; stepping down to standby`);
    this.holder?.lost();
  }
}
