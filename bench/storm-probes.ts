import { LatencyHistogram } from './latency-histogram.js';
import { httpRequest } from './http-request.js';
import { SseClient } from './sse-client.js';
import { streamPath } from './stream-path.js';

/** Another client than the resumers (who all come from 127.0.0.1). */
export const OTHER_CLIENT = '127.0.0.2';
/** As often as a load balancer's probe. */
export const HEALTH_EVERY_MS = 100;
const OPEN_EVERY_MS = 500;
/** A probe not answered by then counts as failed, and as slower than any answered. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * A latency distribution over the probes that finished, those that failed (no answer in time,
 * refused, an error) counted as slower than any answered. Probes still waiting when the storm
 * ends are left out.
 */
export class ProbeLatency {
  readonly histogram = new LatencyHistogram();
  readonly failures: Record<string, number> = {};

  record(ms: number): void {
    this.histogram.record(Math.ceil(ms));
  }

  fail(reason: string): void {
    this.failures[reason] = (this.failures[reason] ?? 0) + 1;
  }

  /** p50, p99 and max in ms; Infinity when failed probes reach the percentile. */
  summary(): { p50: number | null; p99: number | null; max: number | null; failed: number } {
    const failed = Object.values(this.failures).reduce((sum, n) => sum + n, 0);
    const population = this.histogram.count + failed;
    return population === 0
      ? { p50: null, p99: null, max: null, failed }
      : {
          p50: this.histogram.percentile(0.5, population),
          p99: this.histogram.percentile(0.99, population),
          max: failed > 0 ? Infinity : this.histogram.max,
          failed,
        };
  }
}

/**
 * What the rest of the world sees of a server during a storm, from another address: how soon
 * GET /health/live answers (a new connection every 100 ms, as a load balancer's probe), how soon
 * a new stream gets its first frame (one every 500 ms), and how late live ticks reach a stream
 * that was open before.
 */
export class StormProbes {
  readonly health = new ProbeLatency();
  readonly opening = new ProbeLatency();
  readonly live = new ProbeLatency();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly clients = new Set<SseClient>();
  private watcher: SseClient | undefined;
  private readonly readBuffer = Buffer.allocUnsafe(64 * 1024);

  constructor(
    private readonly port: number,
    private readonly symbols: readonly string[],
  ) {}

  /** Opens the live watcher; resolves once it is established. */
  async watchLive(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.watcher = new SseClient(
        {
          port: this.port,
          path: streamPath(this.symbols, 0),
          readBuffer: this.readBuffer,
          connectTimeoutMs: PROBE_TIMEOUT_MS,
          localAddress: OTHER_CLIENT,
        },
        {
          onEstablished: resolve,
          onRefused: (reason) => reject(new Error(`the live watcher was refused: ${reason}`)),
          onTick: (ts, _symbol, receivedAt) => this.live.record(receivedAt - ts),
          onDropped: () => this.live.fail('the server ended the live stream'),
        },
      );
    });
  }

  start(): void {
    this.timers.push(setInterval(() => void probeHealth(this.port, this.health), HEALTH_EVERY_MS));
    this.timers.push(setInterval(() => this.probeOpening(), OPEN_EVERY_MS));
  }

  stop(): void {
    this.timers.forEach((timer) => clearInterval(timer));
    this.clients.forEach((client) => client.close());
    this.watcher?.close();
  }

  private probeOpening(): void {
    const started = performance.now();
    let done = false;
    const finish = (failure?: string) => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      if (failure === undefined) {
        this.opening.record(performance.now() - started);
      } else {
        this.opening.fail(failure);
      }
      client.close();
      this.clients.delete(client);
    };
    const client: SseClient = new SseClient(
      {
        port: this.port,
        path: streamPath(this.symbols.slice(0, 1), 0),
        readBuffer: this.readBuffer,
        connectTimeoutMs: PROBE_TIMEOUT_MS,
        localAddress: OTHER_CLIENT,
        // The first bytes of the body are the stream's first frame.
        body: { feed: () => finish() },
      },
      {
        onEstablished: () => undefined,
        onRefused: (reason) => finish(reason),
        onDropped: () => finish('ended before its first frame'),
      },
    );
    this.clients.add(client);
    const timer = setTimeout(() => finish('no first frame in time'), PROBE_TIMEOUT_MS);
  }
}

/** One GET /health/live on a connection of its own, from another address than the load's. */
export async function probeHealth(port: number, latency: ProbeLatency): Promise<void> {
  try {
    const answer = await httpRequest(port, '/health/live', {
      localAddress: OTHER_CLIENT,
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    if (answer.status === 200) {
      latency.record(answer.ms);
    } else {
      latency.fail(`HTTP ${answer.status}`);
    }
  } catch (error) {
    latency.fail(error instanceof Error ? error.message : String(error));
  }
}
