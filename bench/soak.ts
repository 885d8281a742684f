// npm run soak [-- --duration 180 --concurrency 200]
// A bounded soak of the real server on 127.0.0.1: for the given time, clients in another process
// connect and disconnect without pause, with random symbols, throttles and token channels; some
// read slowly, some leave before the first byte, some send bad queries or tokens, some hold
// tokens that expire mid-stream, and one subject always asks for more streams than allowed.
// Afterwards open streams, bus subscriptions, sockets, listeners and memory must return to
// their idle level; the process exits 1 when they do not.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TickBus } from '../src/bus/tick-bus.js';
import { loadConfig } from '../src/config/app-config.js';
import { createApp } from '../src/create-app.js';
import { OpenStreams } from '../src/stream/open-streams.js';
import { DEFAULT_UNIVERSE } from '../src/market-data/symbol-universe.js';
import type { SoakPlan, SoakReport } from './soak-protocol.js';

const SECRET = 'soak-secret-soak-secret-soak-secret!';
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

const config = loadConfig({
  PORT: '0',
  STREAM_AUTH: 'jwt',
  JWT_SECRET: SECRET,
  TICKS_PER_SECOND: '2000',
  // Small enough to be full before the idle measurement, so that the bus's own growth is not
  // mistaken for what clients leave behind.
  HISTORY_SIZE: '20000',
  CANDLE_HISTORY: '10',
  HEARTBEAT_MS: '1000',
  MAX_CONNECTIONS_PER_CLIENT: '10',
});
const app = await createApp(config, ['error', 'fatal']);
await app.listen(0, '127.0.0.1');
const server = app.getHttpServer();
const address = server.address();
if (address === null || typeof address === 'string') {
  throw new Error('not listening on a TCP port');
}
const registry = app.get(OpenStreams);
const bus = app.get(TickBus);

interface Level {
  streams: number;
  subscriptions: number;
  sockets: number;
  listeners: number;
  /** Active handles and requests by type, e.g. {"Timeout": 3, "TCPSocketWrap": 2}. */
  resources: Record<string, number>;
  rssMb: number;
  heapMb: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sockets = () =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
const listeners = () =>
  [process, server].reduce(
    (sum, emitter) =>
      sum + emitter.eventNames().reduce((n, name) => n + emitter.listenerCount(name), 0),
    0,
  );

async function level(): Promise<Level> {
  const { rss, heapUsed } = process.memoryUsage();
  return {
    streams: registry.size,
    subscriptions: bus.subscriberCount,
    sockets: await sockets(),
    listeners: listeners(),
    resources: process
      .getActiveResourcesInfo()
      .reduce<Record<string, number>>(
        (byType, type) => ({ ...byType, [type]: (byType[type] ?? 0) + 1 }),
        {},
      ),
    rssMb: Math.round((rss / MB) * 10) / 10,
    heapMb: Math.round((heapUsed / MB) * 10) / 10,
  };
}

/** The level after collecting garbage, as far as the runtime allows. */
async function settledLevel(): Promise<Level> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(500);
  }
  return level();
}

if (!globalThis.gc) {
  console.warn('soak: run with node --expose-gc for comparable memory figures');
}
const url = `http://127.0.0.1:${address.port}`;
console.log(`soak: server on ${url}; warming up until history and candles are full`);
await sleep(15_000);
const idle = await settledLevel();
console.log(`idle    ${JSON.stringify(idle)}`);

const clients = fork(fileURLToPath(new URL('./soak-clients.js', import.meta.url)));
const clientsExited = new Promise<number | null>((resolve) => clients.once('exit', resolve));
const report = new Promise<SoakReport>((resolve, reject) => {
  clients.once('message', (message) => resolve(message as SoakReport));
  void clientsExited.then((code) => reject(new Error(`the clients exited with ${code}`)));
});
const plan: SoakPlan = {
  url,
  secret: SECRET,
  durationMs,
  concurrency,
  symbols: DEFAULT_UNIVERSE.map((profile) => profile.symbol),
  subjects: 60,
};
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
while (
  Date.now() < deadline &&
  (registry.size > 0 || bus.subscriberCount > 0 || (await sockets()) > 0)
) {
  await sleep(100);
}
const after = await settledLevel();
console.log(`peak    ${JSON.stringify(peak)}`);
console.log(`after   ${JSON.stringify(after)}`);

const problems = [
  after.streams !== 0 && `${after.streams} streams still open`,
  after.subscriptions !== 0 && `${after.subscriptions} bus subscriptions left`,
  after.sockets !== 0 && `${after.sockets} sockets left`,
  after.listeners !== idle.listeners && `listeners ${idle.listeners} -> ${after.listeners}`,
  Object.entries(after.resources).some(([type, n]) => n > (idle.resources[type] ?? 0)) &&
    `active resources ${JSON.stringify(idle.resources)} -> ${JSON.stringify(after.resources)}`,
  after.heapMb - idle.heapMb > 20 && `heap grew ${(after.heapMb - idle.heapMb).toFixed(1)} MB`,
].filter((problem): problem is string => typeof problem === 'string');
const seconds = durationMs / 1000;
console.log(
  `soak: ${result.connects} connects in ${seconds} s (${Math.round(result.connects / seconds)}/s), ` +
    `${Math.round(result.bytes / MB)} MB streamed; ` +
    (problems.length === 0 ? 'back to idle' : `NOT back to idle: ${problems.join('; ')}`),
);
await app.close();
process.exit(problems.length === 0 ? 0 : 1);
