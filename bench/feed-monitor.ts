import { setTimeout as sleep } from 'node:timers/promises';
import { SseClient } from './sse-client.js';
import { streamPath } from './stream-path.js';

/** How often the monitor tries to connect while the server starts. */
const RETRY_MS = 100;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * One extra stream, opened first, on every symbol the load subscribes to, with throttle=0: it
 * counts the ticks each symbol got in the window, which is what the server was offered to send
 * to each connection. Connecting to it is also how the runner knows the server is up.
 */
export class FeedMonitor {
  /** Ticks made in the window, per symbol. */
  readonly counts = new Map<string, number>();
  private startAt = Infinity;
  private endAt = Infinity;
  private client: SseClient | undefined;
  private droppedAt: number | undefined;

  private constructor(private readonly symbols: readonly string[]) {}

  /** Connects once the server accepts, retrying until `timeoutMs` has passed. */
  static async connect(
    port: number,
    symbols: readonly string[],
    timeoutMs: number,
  ): Promise<FeedMonitor> {
    const deadline = Date.now() + timeoutMs;
    const monitor = new FeedMonitor(symbols);
    for (;;) {
      const failure = await monitor.open(port);
      if (failure === undefined) {
        return monitor;
      }
      if (failure !== 'ECONNREFUSED' || Date.now() > deadline) {
        throw new Error(`the monitor stream could not connect: ${failure}`);
      }
      await sleep(RETRY_MS);
    }
  }

  /** Whether the server ended the monitor's stream before `at`, which voids its counts. */
  droppedBefore(at: number): boolean {
    return this.droppedAt !== undefined && this.droppedAt < at;
  }

  /** Counts the ticks made (by ts) in `[startAt, endAt)`. */
  measure(startAt: number, endAt: number): void {
    this.startAt = startAt;
    this.endAt = endAt;
  }

  close(): void {
    this.client?.close();
  }

  /** Undefined once established, else why not. */
  private open(port: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.client = new SseClient(
        {
          port,
          path: streamPath(this.symbols, 0),
          readBuffer: Buffer.allocUnsafe(64 * 1024),
          connectTimeoutMs: CONNECT_TIMEOUT_MS,
          captureSymbol: true,
        },
        {
          onEstablished: () => resolve(undefined),
          onRefused: resolve,
          onTick: (ts, symbol) => {
            if (ts >= this.startAt && ts < this.endAt) {
              this.counts.set(symbol, (this.counts.get(symbol) ?? 0) + 1);
            }
          },
          onDropped: () => {
            this.droppedAt ??= Date.now();
          },
        },
      );
    });
  }
}
