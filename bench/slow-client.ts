// npm run bench:slow-client [-- --clients 200 --runs 3]
// A client that stops reading, beside clients that read: one stream of a busy symbol (FLOOD, about
// 10,000 ticks/s) stalls until tickstream cuts it (SLOW_CLIENT_MAX_MS), while `clients` streams of
// a calm symbol read everything. Reports their tick latency (receive time minus the tick's ts) in
// the stall and in as long a window just before it. The slow-client e2e test checks what happens
// (the slow client is cut, the others get every tick); how fast is measured here, where load is
// the point, not asserted on a shared machine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { killChildren } from './child-processes.js';
import { scrapeMetrics, sumOf } from './prometheus-text.js';
import { median, quantile } from './quantiles.js';
import { answering } from './resume-storm.js';
import { freePort } from './server-process.js';
import { startServer } from './servers.js';
import { SseClient } from './sse-client.js';
import { streamPath } from './stream-path.js';
import { formatNumber, table } from './table.js';

const MARKET = {
  name: 'FLOOD 999 : CALM 1',
  symbols: [
    { symbol: 'FLOOD', activity: 999 },
    { symbol: 'CALM', activity: 1 },
  ],
  ticksPerSecond: 10_000,
};
const SLOW_CLIENT_MAX_MS = 1_500;
const CONNECT_TIMEOUT_MS = 10_000;
/** A stalled client the server has not cut by then counts as a failed run. */
const CUT_TIMEOUT_MS = 60_000;
/** How often /metrics is read for the cut: the stall's end is known to within this. */
const POLL_MS = 50;

interface Latency {
  at: number;
  ms: number;
}

interface RunResult {
  stallMs: number;
  before: number[];
  during: number[];
}

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } },
});
const clients = Number(values.clients);
const runs = Number(values.runs);
if (!(Number.isInteger(clients) && clients >= 1 && clients <= 5_000)) {
  throw new Error('--clients is 1..5000');
}
if (!(Number.isInteger(runs) && runs >= 1 && runs <= 10)) {
  throw new Error('--runs is 1..10');
}

/** Opens a stream of `symbol`; resolves once it is established. */
function open(
  port: number,
  symbol: string,
  readBuffer: Buffer,
  onTick: (ts: number, receivedAt: number) => void,
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const client: SseClient = new SseClient(
      { port, path: streamPath([symbol], 0), readBuffer, connectTimeoutMs: CONNECT_TIMEOUT_MS },
      {
        onEstablished: () => resolve(client),
        onRefused: (reason) => reject(new Error(`a ${symbol} stream was refused: ${reason}`)),
        onTick: (ts, _symbol, receivedAt) => onTick(ts, receivedAt),
        onDropped: () => undefined,
      },
    );
  });
}

/**
 * When the server cut the stalled client, as /metrics counts it: a client that does not read
 * does not see its connection end either.
 */
async function whenCut(port: number, stalledAt: number): Promise<number> {
  while ((sumOf(await scrapeMetrics(port), 'tickstream_slow_clients_cut_total') ?? 0) === 0) {
    if (Date.now() - stalledAt > CUT_TIMEOUT_MS) {
      throw new Error(`the stalled client was not cut within ${CUT_TIMEOUT_MS} ms`);
    }
    await sleep(POLL_MS);
  }
  return Date.now();
}

async function run(dir: string): Promise<RunResult> {
  const port = await freePort();
  const server = await startServer({
    kind: 'tickstream',
    market: MARKET,
    port,
    heartbeatMs: 15_000,
    dir,
    connections: clients + 1,
    settings: { SLOW_CLIENT_MAX_MS: String(SLOW_CLIENT_MAX_MS), HISTORY_SIZE: '300000' },
  });
  const readBuffer = Buffer.alloc(64 * 1024);
  const latencies: Latency[] = [];
  const calm: SseClient[] = [];
  try {
    await answering(port, server);
    for (let i = 0; i < clients; i++) {
      calm.push(
        await open(port, 'CALM', readBuffer, (ts, at) => latencies.push({ at, ms: at - ts })),
      );
    }
    // Time for the opening snapshots and the first ticks to settle before anything is measured.
    await sleep(3_000);
    const slow = await open(port, 'FLOOD', Buffer.alloc(64 * 1024), () => undefined);
    slow.pause();
    const stalledAt = Date.now();
    const cutAt = await whenCut(port, stalledAt);
    const stallMs = cutAt - stalledAt;
    const within = (from: number, to: number) =>
      latencies.filter(({ at }) => at >= from && at < to).map(({ ms }) => ms);
    return {
      stallMs,
      before: within(stalledAt - stallMs, stalledAt),
      during: within(stalledAt, cutAt),
    };
  } finally {
    calm.forEach((client) => client.close());
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tickstream-slow-client-'));
const results: RunResult[] = [];
try {
  for (let i = 0; i < runs; i++) {
    results.push(await run(dir));
  }
} finally {
  killChildren();
}
const summary = (pick: (result: RunResult) => number[], q: number) =>
  formatNumber(median(results.map((result) => quantile(pick(result), q))), 0);
console.log(
  `\nA slow client beside ${clients} fast ones, ${MARKET.ticksPerSecond} ticks/s ` +
    `(${MARKET.name}), SLOW_CLIENT_MAX_MS=${SLOW_CLIENT_MAX_MS}; medians of ${runs} runs; ` +
    `logs in ${dir}\n`,
);
const rows: [string, (result: RunResult) => number[]][] = [
  ['before the stall', (result) => result.before],
  ['while stalled, until cut', (result) => result.during],
];
console.log(
  table(
    ['CALM tick latency, ms', 'p50', 'p99', 'max', 'ticks'],
    rows.map(([label, pick]) => [
      label,
      summary(pick, 0.5),
      summary(pick, 0.99),
      summary(pick, 1),
      formatNumber(median(results.map((result) => pick(result).length)), 0),
    ]),
  ),
);
console.log(
  `\nstalled until cut: ${formatNumber(median(results.map((r) => r.stallMs)), 0)} ms (median)`,
);
