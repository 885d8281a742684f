import { Logger } from '@nestjs/common';
import { Redis, type ClientContext } from 'ioredis';
import { REDIS_SCRIPTS } from './redis-scripts.js';

// The scripts below, as ioredis adds them to every connection. The type parameter must repeat
// ioredis's own for the declarations to merge.
declare module 'ioredis' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    tickstreamPublish(
      stream: string,
      latest: string,
      stopped: string,
      fenceKey: string,
      days: string,
      ...args: string[]
    ): Promise<unknown>;
    tickstreamPublishStatus(
      stream: string,
      states: string,
      stopped: string,
      fenceKey: string,
      days: string,
      fence: string,
      maxLength: string,
      symbol: string,
      status: string,
      state: string,
    ): Promise<unknown>;
    tickstreamSnapshot(
      stream: string,
      latest: string,
      states: string,
      days: string,
      ...symbols: string[]
    ): Promise<unknown>;
    tickstreamTakeFeedLease(
      lease: string,
      fenceKey: string,
      token: string,
      holder: string,
      leaseMs: string,
    ): Promise<unknown>;
    tickstreamRenewFeedLease(lease: string, token: string, leaseMs: string): Promise<unknown>;
    tickstreamReleaseFeedLease(lease: string, token: string): Promise<unknown>;
  }
}

/** Reconnect delays: quick at first, then every 2 s while Redis stays away. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2_000);
}

/**
 * A connection that never queues: while Redis is away a command fails at once (and one that was
 * in flight fails rather than being sent twice), so a feed cannot pile up ticks in memory and a
 * request is answered instead of left waiting. It reconnects by itself, and says so once per
 * outage, not once per failed command.
 */
export function connectRedis(url: string, name: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: `tickstream-${name}`,
    // RESP2 replies have one shape whatever the command: what the reply parsers read.
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    // Also bounds the blocking reads (far shorter than this): no wait on a dead socket is endless.
    commandTimeout: 5_000,
    scripts: REDIS_SCRIPTS,
  });
  let lastError = 'connection closed';
  let downSince: number | undefined;
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  redis.on('reconnecting', () => {
    if (downSince === undefined) {
      downSince = Date.now();
      logger.warn(`Redis ${name} connection down (${lastError}); reconnecting with backoff`);
    }
  });
  redis.on('ready', () => {
    if (downSince !== undefined) {
      logger.log(`Redis ${name} connection back after ${Date.now() - downSince} ms`);
      downSince = undefined;
    }
  });
  return redis;
}

/** Resolves once `redis` is ready, or after `timeoutMs`, whichever comes first. */
export function readyWithin(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
