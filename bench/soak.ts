// npm run soak [-- --duration 180 --concurrency 200]
// A bounded soak of the real server on 127.0.0.1, measured from outside: it runs
// `node dist/main.js` in a process of its own and reads it only through HTTP (GET /metrics,
// /api/symbols), /proc, and its inspector (to collect garbage before memory is read). For the
// given time, clients in another process connect and disconnect without pause, with random
// symbols, throttles and token channels; some read slowly, some leave before the first byte,
// some send bad queries or tokens, some hold tokens that expire mid-stream, and one subject
// always asks for more streams than allowed. Afterwards open streams, sockets, active handles
// and resources, and heap must return to their idle level; the process exits 1 when they do not.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PATHS } from '@tickstream/client/contract';
import { killChildren, track } from './child-processes.js';
import { httpRequest } from './http-request.js';
import { collectGarbage, inspectorUrl } from './inspector-gc.js';
import { scrapeMetrics, sumOf, type MetricSamples } from './prometheus-text.js';
import { freePort, ServerProcess } from './server-process.js';
import { mintToken } from './soak-token.js';
import type { SoakPlan, SoakReport } from './soak-protocol.js';

const SECRET = 'soak-secret-soak-secret-soak-secret!';
const TICKSTREAM = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '180' },
    concurrency: { type: 'string', default: '200' },
  },
});
const durationMs = Number(values.duration) * 1000;
const concurrency = Number(values.concurrency);
if (!(durationMs > 0 && durationMs <= 1_800_000 && concurrency > 0 && concurrency <= 2000)) {
  console.error('soak: --duration is 1..1800 seconds, --concurrency 1..2000');
  process.exit(1);
}
process.once('exit', killChildren);

const port = await freePort();
const logDir = `${OUT_DIR}logs/soak-${new Date().toISOString().replace(/[:.]/g, '-')}`;
mkdirSync(logDir, { recursive: true });
const server = new ServerProcess({
  command: process.execPath,
  args: ['--inspect=127.0.0.1:0', TICKSTREAM],
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    STREAM_AUTH: 'jwt',
    JWT_SECRET: SECRET,
    TICKS_PER_SECOND: '2000',
    // Small enough to be full before the idle measurement, so that the bus's own growth is not
    // mistaken for what clients leave behind.
    HISTORY_SIZE: '20000',
    CANDLE_HISTORY: '10',
    HEARTBEAT_MS: '1000',
    MAX_CONNECTIONS_PER_CLIENT: '10',
    NO_COLOR: '1',
  },
  logFile: `${logDir}/tickstream.log`,
});

/** The level of the server's resources; it counts as leaked what stays above idle. */
interface Level {
  streams: number;
  /** Subscriptions to the bus: one per symbol some stream reads, not one per stream. */
  busSubscriptions: number;
  /** Established TCP connections to the server's port. */
  sockets: number;
  /** Active handles and resources by type, e.g. {"Socket": 3, "Timeout": 2}. */
  handles: Record<string, number>;
  resources: Record<string, number>;
  rssMb: number;
  heapMb: number;
}

/** Connections to `port` in state ESTABLISHED (01), from /proc/net/tcp and tcp6. */
function establishedTo(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter(([, local, , state]) => local?.endsWith(`:${hexPort}`) && state === '01').length;
}

/** `name{type="..."}` series as {type: value}. */
function byType(samples: MetricSamples, name: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [series, value] of samples) {
    const type = new RegExp(`^${name}\\{type="([^"]*)"\\}$`).exec(series)?.[1];
    if (type !== undefined) {
      counts[type] = value;
    }
  }
  return counts;
}

async function level(): Promise<Level> {
  // Counted before the scrape, whose own connection is then not among them.
  const sockets = establishedTo(port);
  const samples = await scrapeMetrics(port);
  const figure = (name: string) => sumOf(samples, name) ?? NaN;
  return {
    streams: figure('tickstream_streams_open'),
    busSubscriptions: figure('tickstream_bus_subscriptions'),
    sockets,
    handles: byType(samples, 'nodejs_active_handles'),
    resources: byType(samples, 'nodejs_active_resources'),
    rssMb: Math.round((figure('process_resident_memory_bytes') / MB) * 10) / 10,
    heapMb: Math.round((figure('nodejs_heap_size_used_bytes') / MB) * 10) / 10,
  };
}

/** The level after collecting garbage. */
async function settledLevel(inspector: string): Promise<Level> {
  for (let i = 0; i < 3; i++) {
    await collectGarbage(inspector);
    await sleep(500);
  }
  return level();
}

/** Waits until the server answers and has announced its inspector. */
async function started(): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let ended: string | undefined;
  void server.exited.then((how) => (ended = how));
  while (Date.now() < deadline && ended === undefined) {
    const inspector = inspectorUrl(server.logTail(50));
    try {
      const answer = await httpRequest(port, '/health/live', { timeoutMs: 2_000 });
      if (answer.status === 200 && inspector !== undefined) {
        return inspector;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`tickstream did not start (${ended ?? 'timeout'}):\n${server.logTail()}`);
}

try {
  const inspector = await started();
  const url = `http://127.0.0.1:${port}`;
  const reader = await mintToken({ sub: 'soak', symbols: '*', expires: '1h' }, SECRET);
  const listed = await httpRequest(port, `/${PATHS.symbols}`, {
    headers: { Authorization: `Bearer ${reader}` },
  });
  const symbols = (JSON.parse(listed.body) as { symbol: string }[]).map((info) => info.symbol);
  console.log(
    `soak: server on ${url} (log ${logDir}); ${symbols.length} symbols; warming up until ` +
      'history and candles are full',
  );
  await sleep(15_000);
  const idle = await settledLevel(inspector);
  console.log(`idle    ${JSON.stringify(idle)}`);

  const clients = track(fork(fileURLToPath(new URL('./soak-clients.js', import.meta.url))));
  const clientsExited = new Promise<number | null>((resolve) => clients.once('exit', resolve));
  const report = new Promise<SoakReport>((resolve, reject) => {
    clients.once('message', (message) => resolve(message as SoakReport));
    void clientsExited.then((code) => reject(new Error(`the clients exited with ${code}`)));
  });
  const plan: SoakPlan = { url, secret: SECRET, durationMs, concurrency, symbols, subjects: 60 };
  clients.send(plan);
  const startedAt = Date.now();
  let peak: Level = idle;
  const sampler = setInterval(() => {
    void level().then((now) => {
      if (now.streams > peak.streams) {
        peak = now;
      }
      const elapsed = Math.round((Date.now() - startedAt) / 1000);
      console.log(`${String(elapsed).padStart(4)} s  ${JSON.stringify(now)}`);
    });
  }, 10_000);
  const result = await report;
  clearInterval(sampler);
  await clientsExited;
  console.log(`load    ${JSON.stringify(result)}`);

  // Streams end as their sockets close; give them a bounded moment.
  const deadline = Date.now() + 30_000;
  let now = await level();
  while (Date.now() < deadline && (now.streams > 0 || now.sockets > 0)) {
    await sleep(100);
    now = await level();
  }
  const after = await settledLevel(inspector);
  console.log(`peak    ${JSON.stringify(peak)}`);
  console.log(`after   ${JSON.stringify(after)}`);

  const grew = (kind: 'handles' | 'resources') =>
    Object.entries(after[kind]).some(([type, n]) => n > (idle[kind][type] ?? 0)) &&
    `active ${kind} ${JSON.stringify(idle[kind])} -> ${JSON.stringify(after[kind])}`;
  const problems = [
    after.streams !== 0 && `${after.streams} streams still open`,
    after.sockets !== 0 && `${after.sockets} connections still established`,
    after.busSubscriptions > idle.busSubscriptions &&
      `bus subscriptions ${idle.busSubscriptions} -> ${after.busSubscriptions}`,
    grew('handles'),
    grew('resources'),
    after.heapMb - idle.heapMb > 20 && `heap grew ${(after.heapMb - idle.heapMb).toFixed(1)} MB`,
  ].filter((problem): problem is string => typeof problem === 'string');
  const seconds = durationMs / 1000;
  console.log(
    `soak: ${result.connects} connects in ${seconds} s (${Math.round(result.connects / seconds)}/s), ` +
      `${Math.round(result.bytes / MB)} MB streamed; ` +
      (problems.length === 0 ? 'back to idle' : `NOT back to idle: ${problems.join('; ')}`),
  );
  await server.stop();
  process.exit(problems.length === 0 ? 0 : 1);
} catch (error) {
  console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
  await server.stop();
  process.exit(2);
}
