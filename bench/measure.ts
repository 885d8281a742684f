import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FromWorker, LoadPlan, ToWorker, WindowReport } from './bench-protocol.js';
import { exited, nextMessage, tell, track } from './child-processes.js';
import { FeedMonitor } from './feed-monitor.js';
import { streamPath } from './stream-path.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { Market } from './market.js';
import { sampleProcesses, type ProcSample } from './proc-stats.js';
import { median, quantile } from './quantiles.js';
import type { FanOutScenario } from './scenarios.js';
import { freePort } from './server-process.js';
import { startServer, type RunningServer, type ServerKind } from './servers.js';
import { HEALTH_EVERY_MS, probeHealth, ProbeLatency } from './storm-probes.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./load-worker.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;
/** Connections waiting for their answer, over all workers; well under Node's backlog of 511. */
const MAX_WAITING = 256;
/** How much longer than its nominal time (connections / rate) the ramp may take. */
const RAMP_SLACK_MS = 120_000;
/** A connection not answered by then counts as refused (`timeout`). */
export const CONNECT_TIMEOUT_MS = 15_000;
/** Before the window: the server settles after starting, and after the ramp. */
const IDLE_SETTLE_MS = 1_000;
const WARM_UP_MS = 2_000;
/** Time for the window's plan to reach the workers before the window opens. */
const LEAD_MS = 500;
/**
 * A tick made in the window counts as delivered if it arrives by the window's end plus this: it
 * covers the ticks made just before the end, and (with a throttle) held for up to a window.
 */
export const GRACE_MS = 3_000;
const MB = 1024 * 1024;
/** The most streams one load worker holds: a process may hold at most 20,000 open files here. */
const STREAMS_PER_WORKER = 5_000;
/** The load workers connect from 127.0.0.10, .11, ...: each has its own ports to connect from. */
const FIRST_WORKER_ADDRESS = 10;

export interface MeasureOptions {
  kind: ServerKind;
  scenario: FanOutScenario;
  market: Market;
  /** The symbols of each connection. */
  symbols: string[][];
  windowSeconds: number;
  connectsPerSecond: number;
  workers: number;
  /** This measurement's own folder, for the servers' logs and files. */
  dir: string;
  cpuProfileDir?: string;
  nchanWorkers: number;
}

/** What one measurement found. `null` where a figure does not apply (e.g. offered, throttled). */
export interface Metrics {
  connections: number;
  established: number;
  refused: number;
  /** Established streams the server ended: at any time, and in the window (or its grace). */
  dropped: number;
  droppedInWindow: number;
  /** Established connections that got at least one tick in the window. */
  served: number;
  rampSeconds: number;
  /** Ticks/s of the symbols subscribed to, as the monitor counted them. */
  subscribedTicksPerSecond: number | null;
  /**
   * Those ticks as a share of TICKS_PER_SECOND, when every symbol is subscribed: a saturated
   * server's feed falls behind and skips what it cannot catch up, which shrinks "offered" too.
   */
  feedPercent: number | null;
  /** Throttle 0: what every offered connection, refused or not, should have got, per second. */
  offeredEventsPerSecond: number | null;
  deliveredEventsPerSecond: number;
  deliveredPercent: number | null;
  /** Throttle 0: delivered / offered per established connection: worst, 1st percentile, median. */
  fairnessMinPercent: number | null;
  fairnessP1Percent: number | null;
  fairnessMedianPercent: number | null;
  eventsPerConnectionMin: number | null;
  eventsPerConnectionP1: number | null;
  eventsPerConnectionMedian: number | null;
  /** Receive time minus the tick's ts; with throttle 0, ticks never received count as slowest. */
  latencyP50Ms: number | null;
  latencyP90Ms: number | null;
  latencyP99Ms: number | null;
  latencyMaxMs: number | null;
  /** Heartbeats (comment lines) received in the window: per second over all, and per stream. */
  heartbeatsPerSecond: number;
  heartbeatsPerConnectionMin: number | null;
  serverCpuPercent: number;
  serverCpuMicrosPerEvent: number | null;
  /** Delivered tick events per second of the server's CPU time. */
  eventsPerCpuSecond: number | null;
  /** With no tick offered (an idle market): the server's CPU per heartbeat delivered. */
  serverCpuMicrosPerHeartbeat: number | null;
  /** Memory: RSS of one process; for nginx, the PSS of all its processes (see proc-stats). */
  serverRssIdleMb: number;
  serverRssEndMb: number;
  serverRssPerConnectionKb: number | null;
  /** The load workers' CPU, summed, and the busiest one's: near 100 % it is the bottleneck. */
  loadCpuPercent: number;
  busiestWorkerCpuPercent: number;
  /** Where the scenario probes it: GET /health/live from the ramp's end to the window's end. */
  healthP99Ms: number | null;
  healthMaxMs: number | null;
}

/** Where in the server's life the window was, to cut a CPU profile to it. */
export interface ProfileWindow {
  dir: string;
  /** Seconds from the server's start to the window's start and end. */
  fromSeconds: number;
  toSeconds: number;
  /** Tick events delivered in the window. */
  events: number;
}

export interface Measurement {
  server: ServerKind;
  market: string;
  metrics: Metrics;
  profile?: ProfileWindow;
  refusals: Record<string, number>;
  /** Load average (1 min) when the measurement started and ended. */
  loadAverage: [number, number];
  notes: string[];
}

/** One server, one market, one run: start, ramp, warm up, measure a window, stop. */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  const { kind, scenario, symbols } = options;
  const loadAtStart = loadavg()[0];
  const port = await freePort();
  const startedAt = Date.now();
  const server: RunningServer = await startServer({
    kind,
    market: options.market,
    port,
    heartbeatMs: scenario.heartbeatMs,
    dir: options.dir,
    connections: symbols.length + 1,
    cpuProfileDir: options.cpuProfileDir,
    nchanWorkers: options.nchanWorkers,
  });
  // Forked now, so that their start-up is over before the ramp.
  const count = Math.min(
    Math.max(options.workers, Math.ceil(symbols.length / STREAMS_PER_WORKER)),
    symbols.length,
  );
  const workers = Array.from({ length: count }, () =>
    track(fork(WORKER_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })),
  );
  let monitor: FeedMonitor | undefined;
  const health = new ProbeLatency();
  let healthProbe: NodeJS.Timeout | undefined;

  /** `promise`, unless it takes longer than `ms` or the server dies first. */
  const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${kind}: ${what} took over ${ms} ms`)), ms);
        }),
        server.exited.then((how): never => {
          throw new Error(`${kind} ${how} while ${what}; its last output:\n${server.logTail()}`);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    const subscribed = [...new Set(symbols.flat())].sort();
    monitor = await within(
      FeedMonitor.connect(port, subscribed, START_TIMEOUT_MS),
      START_TIMEOUT_MS + CONNECT_TIMEOUT_MS,
      'starting',
    );
    await sleep(IDLE_SETTLE_MS);
    const idle = sampleProcesses(server.pids());

    const shares = workers.map((_, w) => symbols.map((_, i) => i).filter((i) => i % count === w));
    const rampStart = Date.now();
    const deadlineAt =
      rampStart + (symbols.length / options.connectsPerSecond) * 1000 + RAMP_SLACK_MS;
    for (const [w, share] of shares.entries()) {
      const plan: LoadPlan = {
        type: 'plan',
        port,
        paths: share.map((i) => streamPath(symbols[i], scenario.throttleMs)),
        localAddress: `127.0.0.${FIRST_WORKER_ADDRESS + w}`,
        connectsPerSecond: options.connectsPerSecond / count,
        maxWaiting: Math.ceil(MAX_WAITING / count),
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        deadlineAt,
      };
      tell<ToWorker>(workers[w], plan);
    }
    await within(
      Promise.all(workers.map((worker) => nextMessage<FromWorker, 'ramped'>(worker, 'ramped'))),
      deadlineAt - Date.now() + 15_000,
      'ramping up',
    );
    const rampSeconds = (Date.now() - rampStart) / 1000;
    // Once every stream is open: during the ramp a probe waits in the accept queue behind the
    // ramp's connections, which says how fast streams open, not how the process holds them.
    // The baselines have no health route.
    const probing = scenario.probeHealth === true && kind === 'tickstream';
    if (probing) {
      healthProbe = setInterval(() => void probeHealth(port, health), HEALTH_EVERY_MS);
    }
    await sleep(WARM_UP_MS);

    const startAt = Date.now() + LEAD_MS;
    const endAt = startAt + options.windowSeconds * 1000;
    const reportAt = endAt + GRACE_MS;
    monitor.measure(startAt, endAt);
    const reports = Promise.all(
      workers.map((worker) => nextMessage<FromWorker, 'report'>(worker, 'report')),
    );
    workers.forEach((worker) =>
      tell<ToWorker>(worker, { type: 'window', startAt, endAt, reportAt }),
    );
    await sleep(startAt - Date.now());
    const atStart = sampleProcesses(server.pids());
    await sleep(endAt - Date.now());
    const atEnd = sampleProcesses(server.pids());
    clearInterval(healthProbe);
    const windowReports = await within(reports, reportAt - Date.now() + 15_000, 'measuring');

    const notes: string[] = [];
    if (monitor.droppedBefore(reportAt)) {
      notes.push('the server ended the monitor stream: offered figures are unknown');
    }
    const metrics = summarise({
      options,
      reports: windowReports,
      shares,
      monitorCounts: monitor.droppedBefore(reportAt) ? undefined : monitor.counts,
      samples: { idle, atStart, atEnd },
      rampSeconds,
      health: probing ? health : undefined,
    });
    const refusals: Record<string, number> = {};
    for (const report of windowReports) {
      for (const [reason, n] of Object.entries(report.refusals)) {
        refusals[reason] = (refusals[reason] ?? 0) + n;
      }
    }
    return {
      server: kind,
      market: options.market.name,
      metrics,
      profile:
        options.cpuProfileDir === undefined
          ? undefined
          : {
              dir: options.cpuProfileDir,
              fromSeconds: (startAt - startedAt) / 1000,
              toSeconds: (endAt - startedAt) / 1000,
              events: Math.round(metrics.deliveredEventsPerSecond * options.windowSeconds),
            },
      refusals,
      loadAverage: [loadAtStart, loadavg()[0]],
      notes,
    };
  } finally {
    clearInterval(healthProbe);
    // The clients leave first, so that the server does not have to end their streams.
    workers.forEach((worker) => tell<ToWorker>(worker, { type: 'stop' }));
    await Promise.all(workers.map((worker) => exited(worker)));
    monitor?.close();
    await server.stop();
  }
}

interface Summary {
  options: MeasureOptions;
  reports: WindowReport[];
  /** The connection indexes of each worker, in the order of its report's events. */
  shares: number[][];
  monitorCounts: ReadonlyMap<string, number> | undefined;
  samples: { idle: ProcSample; atStart: ProcSample; atEnd: ProcSample };
  rampSeconds: number;
  health: ProbeLatency | undefined;
}

function summarise({
  options,
  reports,
  shares,
  monitorCounts,
  samples,
  rampSeconds,
  health,
}: Summary): Metrics {
  const seconds = options.windowSeconds;
  const events = new Array<number>(options.symbols.length).fill(-1);
  const heartbeatsOf = new Array<number>(options.symbols.length).fill(0);
  reports.forEach((report, w) =>
    shares[w].forEach((connection, k) => {
      events[connection] = report.events[k];
      heartbeatsOf[connection] = report.heartbeats[k];
    }),
  );
  const open = events.flatMap((n, i) => (n >= 0 ? [i] : []));
  const delivered = open.reduce((sum, i) => sum + events[i], 0);
  const perConnection = open.map((i) => events[i] / seconds);

  // Throttle 0: a connection is offered every tick of its symbols, as the monitor counted them;
  // a refused connection was offered them too, and got none.
  const counts = options.scenario.throttleMs === 0 ? monitorCounts : undefined;
  const offeredTo = (i: number) =>
    options.symbols[i].reduce((sum, symbol) => sum + (counts?.get(symbol) ?? 0), 0);
  const offeredAll = counts && options.symbols.reduce((sum, _, i) => sum + offeredTo(i), 0);
  const offeredOpen = counts && open.reduce((sum, i) => sum + offeredTo(i), 0);
  const shareOf =
    counts &&
    open.flatMap((i) => {
      const offered = offeredTo(i);
      return offered > 0 ? [(100 * events[i]) / offered] : [];
    });

  const latency = new LatencyHistogram();
  reports.forEach((report) => latency.merge(report.latency, report.maxLatencyMs));
  // Ticks an established connection never received count as slower than any received, so that a
  // lossy server cannot look fast.
  const population = Math.max(latency.count, offeredOpen ?? 0);
  const percentile = (q: number) => (population > 0 ? latency.percentile(q, population) : null);

  const cpuSeconds = samples.atEnd.cpuSeconds - samples.atStart.cpuSeconds;
  const heartbeats = open.map((i) => heartbeatsOf[i]);
  const heartbeatTotal = heartbeats.reduce((sum, n) => sum + n, 0);
  const subscribedTicks = monitorCounts
    ? [...monitorCounts.values()].reduce((sum, n) => sum + n, 0)
    : undefined;
  // Only when the monitor sees the whole market can its count be held against the nominal rate.
  const market = options.market;
  const seesAll = market.symbols
    .filter(({ activity }) => activity > 0)
    .every(({ symbol }) => monitorCounts?.has(symbol) ?? false);
  const workerShares = reports.map((r) => (r.windowMicros > 0 ? r.cpuMicros / r.windowMicros : 0));
  const orNull = (value: number | undefined) =>
    value === undefined || Number.isNaN(value) ? null : value;

  return {
    connections: options.symbols.length,
    established: open.length,
    refused: reports.reduce((sum, r) => sum + r.refused, 0),
    dropped: reports.reduce((sum, r) => sum + r.dropped, 0),
    droppedInWindow: reports.reduce((sum, r) => sum + r.droppedInWindow, 0),
    served: open.filter((i) => events[i] > 0).length,
    rampSeconds,
    subscribedTicksPerSecond: orNull(subscribedTicks && subscribedTicks / seconds),
    feedPercent: orNull(
      seesAll && subscribedTicks !== undefined
        ? (100 * subscribedTicks) / (market.ticksPerSecond * seconds)
        : undefined,
    ),
    offeredEventsPerSecond: orNull(offeredAll && offeredAll / seconds),
    deliveredEventsPerSecond: delivered / seconds,
    deliveredPercent: orNull(offeredAll ? (100 * delivered) / offeredAll : undefined),
    fairnessMinPercent: orNull(shareOf && quantile(shareOf, 0)),
    fairnessP1Percent: orNull(shareOf && quantile(shareOf, 0.01)),
    fairnessMedianPercent: orNull(shareOf && median(shareOf)),
    eventsPerConnectionMin: orNull(quantile(perConnection, 0)),
    eventsPerConnectionP1: orNull(quantile(perConnection, 0.01)),
    eventsPerConnectionMedian: orNull(median(perConnection)),
    latencyP50Ms: percentile(0.5),
    latencyP90Ms: percentile(0.9),
    latencyP99Ms: percentile(0.99),
    latencyMaxMs: latency.count > 0 ? latency.max : null,
    heartbeatsPerSecond: heartbeatTotal / seconds,
    heartbeatsPerConnectionMin: orNull(quantile(heartbeats, 0)),
    serverCpuPercent: (100 * cpuSeconds) / seconds,
    serverCpuMicrosPerEvent: delivered > 0 ? (cpuSeconds * 1e6) / delivered : null,
    eventsPerCpuSecond: delivered > 0 && cpuSeconds > 0 ? delivered / cpuSeconds : null,
    serverCpuMicrosPerHeartbeat:
      market.ticksPerSecond === 0 && heartbeatTotal > 0
        ? (cpuSeconds * 1e6) / heartbeatTotal
        : null,
    serverRssIdleMb: samples.idle.memoryBytes / MB,
    serverRssEndMb: samples.atEnd.memoryBytes / MB,
    serverRssPerConnectionKb:
      open.length > 0
        ? (samples.atEnd.memoryBytes - samples.idle.memoryBytes) / open.length / 1024
        : null,
    loadCpuPercent: 100 * workerShares.reduce((sum, s) => sum + s, 0),
    busiestWorkerCpuPercent: 100 * Math.max(0, ...workerShares),
    healthP99Ms: health?.summary().p99 ?? null,
    healthMaxMs: health?.summary().max ?? null,
  };
}
