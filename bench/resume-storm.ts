import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage, tell, track } from './child-processes.js';
import { httpRequest } from './http-request.js';
import { scrapeMetrics, sumOf } from './prometheus-text.js';
import { sampleProcesses } from './proc-stats.js';
import { QuoteGenerator } from './quote-generator.js';
import { deletePrefix, REDIS_URL } from './redis-prefix.js';
import type { StormScenario } from './scenarios.js';
import { freePort } from './server-process.js';
import { startServer, type RunningServer } from './servers.js';
import type {
  FromStormWorker,
  Published,
  StormPlan,
  StormWorkerReport,
  ToStormWorker,
} from './storm-protocol.js';
import { StormProbes } from './storm-probes.js';
import { streamPath } from './stream-path.js';
import { ingest, INGEST_BATCH, type Ingested } from './tick-ingest.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./storm-worker.js', import.meta.url));
const INGEST_TOKEN = 'bench-ingest-token-0123456789';
const START_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 15_000;
const LIVE_EVERY_MS = 50;
/** Live ticks the run may post beyond the storm itself: the ramp, the tail, the slack. */
const LIVE_SLACK_SECONDS = 30;
/** Reading storms: live ticks go on this long after the resumers caught up, and are checked. */
const LIVE_AFTER_CATCH_UP_MS = 5_000;
/** After the live ticks stop: time for the last of them to reach the readers. */
const TAIL_MS = 2_000;
/** After the resumers leave: time for the server to give back what they held. */
const RELEASE_MS = 5_000;
const SAMPLE_EVERY_MS = 250;
const MB = 1024 * 1024;

export type Bus = 'memory' | 'redis';
export const BUSES: readonly Bus[] = ['memory', 'redis'];

export interface StormOptions {
  scenario: StormScenario;
  bus: Bus;
  scale: number;
  workers: number;
  /** This measurement's own folder, for the server's log. */
  dir: string;
  cpuProfileDir?: string;
}

/** What one storm found; null where a figure does not apply (the checks of reading streams). */
export interface StormMetrics {
  streams: number;
  established: number;
  refused: number;
  endedByServer: number;
  historyTicks: number;
  fillSeconds: number;
  /** Ticks of the resumers' symbols in history after their resume id, when they opened. */
  replayTicks: number;
  liveTicks: number;
  stormSeconds: number;
  memoryBeforeMb: number;
  memoryPeakMb: number;
  memoryGrowthMb: number;
  /** Some seconds after the resumers left. */
  memoryAfterMb: number;
  cpuSeconds: number;
  cpuPercent: number;
  healthP50Ms: number | null;
  healthP99Ms: number | null;
  healthMaxMs: number | null;
  healthFailed: number;
  openP50Ms: number | null;
  openP99Ms: number | null;
  openMaxMs: number | null;
  openFailed: number;
  liveP50Ms: number | null;
  liveP99Ms: number | null;
  liveMaxMs: number | null;
  ingestMaxMs: number;
  /** From GET /metrics, over the storm. */
  replayedEvents: number | null;
  conflatedEvents: number | null;
  slowClientsCut: number | null;
  resets: number | null;
  /** Reading storms: tick by tick. */
  checkedTicks: number | null;
  lost: number | null;
  repeated: number | null;
  foreign: number | null;
  unknown: number | null;
  resetFrames: number | null;
  errorFrames: number | null;
  missingAtEnd: number | null;
  catchUpSeconds: number | null;
}

export interface StormMeasurement {
  bus: Bus;
  metrics: StormMetrics;
  refusals: Record<string, number>;
  errors: Record<string, number>;
  failures: Record<string, Record<string, number>>;
  loadAverage: [number, number];
}

/** Tells every worker to close its streams and exit, and waits until they have. */
async function stopWorkers(workers: readonly ChildProcess[]): Promise<void> {
  workers.forEach((worker) => tell<ToStormWorker>(worker, { type: 'stop' }));
  await Promise.all(workers.map((worker) => exited(worker)));
}

/** The workers' reports as one. */
async function gather(workers: ChildProcess[], final: boolean): Promise<StormWorkerReport> {
  const replies = Promise.all(
    workers.map((worker) => nextMessage<FromStormWorker, 'report'>(worker, 'report')),
  );
  workers.forEach((worker) => tell<ToStormWorker>(worker, { type: 'report', final }));
  const reports = await replies;
  const merge = (key: 'refusals' | 'errors') =>
    reports.reduce<Record<string, number>>((all, report) => {
      Object.entries(report[key]).forEach(([reason, n]) => (all[reason] = (all[reason] ?? 0) + n));
      return all;
    }, {});
  const sum = (key: keyof StormWorkerReport) =>
    reports.reduce((total, report) => total + Number(report[key]), 0);
  return {
    type: 'report',
    established: sum('established'),
    refusals: merge('refusals'),
    endedByServer: sum('endedByServer'),
    ticks: sum('ticks'),
    lost: sum('lost'),
    repeated: sum('repeated'),
    foreign: sum('foreign'),
    unknown: sum('unknown'),
    resets: sum('resets'),
    errors: merge('errors'),
    behind: sum('behind'),
    behindMax: Math.max(0, ...reports.map((report) => report.behindMax)),
  };
}

/** Polls GET /health/live until it answers 200. */
export async function answering(port: number, server: RunningServer): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let ended: string | undefined;
  void server.exited.then((how) => (ended = how));
  for (;;) {
    if (ended !== undefined) {
      throw new Error(`tickstream ${ended} while starting:\n${server.logTail()}`);
    }
    try {
      if ((await httpRequest(port, '/health/live', { timeoutMs: 2_000 })).status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`tickstream did not answer in ${START_TIMEOUT_MS} ms:\n${server.logTail()}`);
    }
    await sleep(100);
  }
}

/** Posts live ticks at `rate` per second, one POST at a time, until stopped or out of budget. */
class LivePublisher {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private due = 0;
  private last = Date.now();
  posted = 0;
  maxMs = 0;
  error: Error | undefined;

  constructor(
    private readonly port: number,
    private readonly generator: QuoteGenerator,
    private readonly rate: number,
    private readonly budget: number,
    private readonly onIngested: (ingested: Ingested) => void,
  ) {}

  start(): void {
    this.last = Date.now();
    this.timer = setInterval(() => this.tick(), LIVE_EVERY_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private tick(): void {
    const now = Date.now();
    this.due += ((now - this.last) * this.rate) / 1000;
    this.last = now;
    const count = Math.min(Math.floor(this.due), this.budget - this.posted);
    if (this.inFlight !== undefined || count <= 0) {
      return;
    }
    this.due -= count;
    this.posted += count;
    const quotes = Array.from({ length: count }, () => this.generator.next(now)).flatMap(
      (quote) => quote ?? [],
    );
    this.inFlight = ingest(this.port, INGEST_TOKEN, quotes).then(
      (ingested) => {
        this.maxMs = Math.max(this.maxMs, ingested.ms);
        this.onIngested(ingested);
        this.inFlight = undefined;
      },
      (error: unknown) => {
        this.error ??= error instanceof Error ? error : new Error(String(error));
        this.inFlight = undefined;
      },
    );
  }
}

/**
 * One resume storm on tickstream: fill its history through POST /api/ticks, then open the
 * resumers from 127.0.0.1 all at once, each resuming from the same id near the start of the
 * history, while live ticks keep coming and probes from 127.0.0.2 measure what everyone else
 * gets. Reading resumers are checked tick by tick.
 */
export async function measureStorm(options: StormOptions): Promise<StormMeasurement> {
  const { scenario, bus } = options;
  const loadAtStart = loadavg()[0];
  const streams = Math.max(1, Math.round(scenario.streams * options.scale));
  const historyTicks = Math.max(1_000, Math.round(scenario.historySize * options.scale));
  // The resume id stays in history to the end: the live ticks never evict it.
  const liveBudget = Math.min(
    Math.round(scenario.liveTicksPerSecond * (scenario.holdSeconds + LIVE_SLACK_SECONDS)),
    Math.floor(historyTicks / 4),
  );
  const symbols = scenario.symbols.map(({ symbol }) => symbol);
  const prefix = `bench-storm-${process.pid}-${Date.now()}`;
  const port = await freePort();
  const server = await startServer({
    kind: 'tickstream',
    market: { name: 'ingested', symbols: scenario.symbols, ticksPerSecond: 0 },
    port,
    heartbeatMs: 15_000,
    dir: options.dir,
    connections: streams,
    cpuProfileDir: options.cpuProfileDir,
    settings: {
      FEED: 'none',
      INGEST_TOKEN,
      HISTORY_SIZE: String(historyTicks),
      BUS: bus,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      // The defaults: the resumers use all the streams one address may open.
      MAX_CONNECTIONS: '',
      MAX_CONNECTIONS_PER_CLIENT: '',
    },
  });
  const workers: ChildProcess[] = [];
  const probes = new StormProbes(port, symbols);
  let live: LivePublisher | undefined;
  try {
    await answering(port, server);
    const generator = new QuoteGenerator(scenario.symbols, 7);
    const published: Published = { type: 'published', ids: [], symbols: [] };
    const fillStart = Date.now();
    while (published.ids.length < historyTicks) {
      const count = Math.min(INGEST_BATCH, historyTicks - published.ids.length);
      const quotes = Array.from({ length: count }, () => generator.next(Date.now())).flatMap(
        (quote) => quote ?? [],
      );
      const { ids, symbols: of } = await ingest(port, INGEST_TOKEN, quotes);
      published.ids.push(...ids);
      published.symbols.push(...of);
    }
    const fillSeconds = (Date.now() - fillStart) / 1000;
    const lastEventId = published.ids[liveBudget];
    const replayTicks = published.ids.length - liveBudget - 1;

    const count = Math.min(options.workers, streams);
    for (let w = 0; w < count; w++) {
      const worker = track(
        fork(WORKER_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
      );
      workers.push(worker);
      tell<ToStormWorker>(worker, published);
    }
    await probes.watchLive();
    await sleep(2_000);
    const metricsBefore = await scrapeMetrics(port);
    const before = sampleProcesses(server.pids());
    let peak = before.memoryBytes;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, sampleProcesses(server.pids()).memoryBytes);
      } catch {
        // The server is gone; its end is reported elsewhere.
      }
    }, SAMPLE_EVERY_MS);

    live = new LivePublisher(
      port,
      generator,
      scenario.liveTicksPerSecond,
      liveBudget,
      ({ ids, symbols: of }) =>
        workers.forEach((worker) =>
          tell<ToStormWorker>(worker, { type: 'published', ids, symbols: of }),
        ),
    );
    const stormStart = Date.now();
    probes.start();
    live.start();
    const opened = Promise.all(
      workers.map((worker) => nextMessage<FromStormWorker, 'opened'>(worker, 'opened')),
    );
    workers.forEach((worker, w) => {
      const plan: StormPlan = {
        type: 'plan',
        port,
        path: streamPath(symbols, 0),
        symbols,
        lastEventId,
        streams: Math.floor(streams / count) + (w < streams % count ? 1 : 0),
        reading: scenario.reading,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
      };
      tell<ToStormWorker>(worker, plan);
    });
    await opened;

    const deadline = stormStart + scenario.holdSeconds * 1000;
    let catchUpSeconds: number | null = null;
    if (scenario.reading) {
      // Caught up: no stream is more than a second of live ticks behind.
      while (Date.now() < deadline) {
        await sleep(1_000);
        const progress = await gather(workers, false);
        if (progress.behindMax <= scenario.liveTicksPerSecond) {
          catchUpSeconds = (Date.now() - stormStart) / 1000;
          break;
        }
      }
      await sleep(LIVE_AFTER_CATCH_UP_MS);
    } else {
      await sleep(deadline - Date.now());
    }
    await live.stop();
    await sleep(TAIL_MS);
    const end = sampleProcesses(server.pids());
    clearInterval(sampler);
    peak = Math.max(peak, end.memoryBytes);
    const stormSeconds = (Date.now() - stormStart) / 1000;
    const final = await gather(workers, true);
    probes.stop();
    const metricsAfter = await scrapeMetrics(port);
    await stopWorkers(workers);
    await sleep(RELEASE_MS);
    const after = sampleProcesses(server.pids());
    if (live.error !== undefined) {
      throw live.error;
    }

    const delta = (name: string): number | null => {
      const [a, z] = [sumOf(metricsBefore, name), sumOf(metricsAfter, name)];
      return a === undefined || z === undefined ? null : z - a;
    };
    const health = probes.health.summary();
    const opening = probes.opening.summary();
    const liveLatency = probes.live.summary();
    const reading = <T>(value: T): T | null => (scenario.reading ? value : null);
    const metrics: StormMetrics = {
      streams,
      established: final.established,
      refused: Object.values(final.refusals).reduce((sum, n) => sum + n, 0),
      endedByServer: final.endedByServer,
      historyTicks,
      fillSeconds,
      replayTicks,
      liveTicks: live.posted,
      stormSeconds,
      memoryBeforeMb: before.memoryBytes / MB,
      memoryPeakMb: peak / MB,
      memoryGrowthMb: (peak - before.memoryBytes) / MB,
      memoryAfterMb: after.memoryBytes / MB,
      cpuSeconds: end.cpuSeconds - before.cpuSeconds,
      cpuPercent: (100 * (end.cpuSeconds - before.cpuSeconds)) / stormSeconds,
      healthP50Ms: health.p50,
      healthP99Ms: health.p99,
      healthMaxMs: health.max,
      healthFailed: health.failed,
      openP50Ms: opening.p50,
      openP99Ms: opening.p99,
      openMaxMs: opening.max,
      openFailed: opening.failed,
      liveP50Ms: liveLatency.p50,
      liveP99Ms: liveLatency.p99,
      liveMaxMs: liveLatency.max,
      ingestMaxMs: live.maxMs,
      replayedEvents: delta('tickstream_events_replayed_total'),
      conflatedEvents: delta('tickstream_events_conflated_total'),
      slowClientsCut: delta('tickstream_slow_clients_cut_total'),
      resets: delta('tickstream_resets_total'),
      checkedTicks: reading(final.ticks),
      lost: reading(final.lost),
      repeated: reading(final.repeated),
      foreign: reading(final.foreign),
      unknown: reading(final.unknown),
      resetFrames: reading(final.resets),
      errorFrames: reading(Object.values(final.errors).reduce((sum, n) => sum + n, 0)),
      missingAtEnd: reading(final.behind),
      catchUpSeconds,
    };
    return {
      bus,
      metrics,
      refusals: final.refusals,
      errors: final.errors,
      failures: {
        health: probes.health.failures,
        'new stream': probes.opening.failures,
        'live watcher': probes.live.failures,
      },
      loadAverage: [loadAtStart, loadavg()[0]],
    };
  } finally {
    probes.stop();
    await live?.stop();
    await stopWorkers(workers);
    await server.stop();
    if (bus === 'redis') {
      await deletePrefix(prefix);
    }
  }
}
