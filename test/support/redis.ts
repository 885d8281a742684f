import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/** The Redis that `.ci/run` starts; tests share it, each under its own key prefix. */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix that no other test, and no other run, uses. */
export function uniquePrefix(name: string): string {
  return `tickstream-test:${name}:${randomUUID()}`;
}

/**
 * The keys a prefix holds: the stream of events, the hashes of latest quotes, states and days,
 * the past, the feed lease and its fencing number.
 */
export function keysOf(prefix: string): {
  stream: string;
  latest: string;
  states: string;
  stopped: string;
  past: string;
  days: string;
  feedLease: string;
  feedFence: string;
  simulatedStates: string;
  pastChanges: string;
} {
  return {
    stream: `${prefix}:ticks`,
    latest: `${prefix}:latest`,
    states: `${prefix}:states`,
    stopped: `${prefix}:stopped`,
    past: `${prefix}:past`,
    days: `${prefix}:days`,
    feedLease: `${prefix}:feed-lease`,
    feedFence: `${prefix}:feed-fence`,
    simulatedStates: `${prefix}:simulated-states`,
    pastChanges: `${prefix}:past-changes`,
  };
}

/** A plain client, for looking at what the bus left in Redis. */
export function redisClient(url: string): Redis {
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
}

/** Deletes a prefix's keys, so runs leave nothing behind on the shared server. */
export async function dropPrefix(prefix: string, url = SHARED_REDIS_URL): Promise<void> {
  const redis = redisClient(url);
  try {
    await redis.del(...Object.values(keysOf(prefix)));
  } finally {
    redis.disconnect();
  }
}

/**
 * A redis-server of the test's own, on a free loopback port and keeping nothing on disk, so
 * that the test may kill it and start it again: a restart loses every key, as in production
 * without persistence.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  /** One on a free port, not started yet. */
  static async onFreePort(): Promise<OwnRedis> {
    return new OwnRedis(await freePort());
  }

  static async start(): Promise<OwnRedis> {
    const redis = await OwnRedis.onFreePort();
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server on its port and resolves once it accepts connections. */
  start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        reject(new Error(`redis-server did not start on ${this.port}: ${output}`));
      }, 10_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
  }

  /** Stops the server by its PID without closing its connections, as a hung host would. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a frozen server go on. */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server by its PID, as a crash would, and resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    // A frozen process dies once it runs again.
    child.kill('SIGCONT');
    await exited;
  }
}
