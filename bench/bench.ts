// npm run bench [-- --scenarios 1,2,5 --runs 2 --window 20 --scale 1 --ramp 1000 --workers 2
//                  --profile --only tickstream|baseline]
// The load benchmark of issue 6: each scenario runs tickstream and the plain node:http baseline
// (bench/baseline-server.ts) back to back, in separate processes from the load generator
// (bench/load-worker.ts), and prints both with their ratio, because on a shared machine absolute
// figures drift while ratios hold. Figures are medians over the runs; the targets are
// checked from them. Full results go to dist-bench/results/<time>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killChildren } from './child-processes.js';
import { GRACE_MS, measure, type Measurement } from './measure.js';
import {
  checks,
  formatChecks,
  marketTable,
  medianMetrics,
  type Check,
  type ScenarioResult,
} from './report.js';
import { connectionSymbols, SCENARIOS } from './scenarios.js';
import { SERVER_KINDS, type ServerKind } from './server-process.js';

const CONNECTION_SEED = 6;
const OUT_DIR = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.id).join(',') },
    runs: { type: 'string', default: '2' },
    window: { type: 'string', default: '20' },
    scale: { type: 'string', default: '1' },
    ramp: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const scenarios = values.scenarios.split(',').map((id) => {
  const scenario = SCENARIOS.find((s) => String(s.id) === id.trim());
  return scenario ?? fail(`no scenario "${id}"; they are ${SCENARIOS.map((s) => s.id).join(',')}`);
});
const runs = Number(values.runs);
const windowSeconds = Number(values.window);
const scale = Number(values.scale);
const connectsPerSecond = Number(values.ramp);
const workers = Number(values.workers);
if (!(Number.isInteger(runs) && runs >= 1 && runs <= 10)) {
  fail('--runs is 1..10');
}
if (!(windowSeconds >= 1 && windowSeconds <= 300)) {
  fail('--window is 1..300 seconds');
}
if (!(scale > 0 && scale <= 2)) {
  fail('--scale is above 0, at most 2');
}
if (!(connectsPerSecond >= 10 && connectsPerSecond <= 20_000)) {
  fail('--ramp is 10..20000 connections/s');
}
if (!(Number.isInteger(workers) && workers >= 1 && workers <= 16)) {
  fail('--workers is 1..16');
}
const only = values.only;
if (only !== undefined && !SERVER_KINDS.includes(only as ServerKind)) {
  fail(`--only is ${SERVER_KINDS.join(' or ')}`);
}
const servers = SERVER_KINDS.filter((kind) => only === undefined || kind === only);

/** The soft limit on open files, which every child inherits. */
function openFileLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}
const largest = Math.max(...scenarios.map((s) => Math.round(s.connections * scale)));
// The server holds every connection; a worker its share; both need some more for themselves.
if (openFileLimit() < largest + 200) {
  fail(
    `${largest} connections need more open files than ulimit -n allows (${openFileLimit()}): ` +
      'run through npm run bench (bench/run.sh raises it)',
  );
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = `${OUT_DIR}results`;
const logDir = `${OUT_DIR}logs/${stamp}`;
const profileDir = values.profile ? `${OUT_DIR}profiles/${stamp}` : undefined;
mkdirSync(resultsDir, { recursive: true });
mkdirSync(logDir, { recursive: true });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}: stopping every child`);
    killChildren();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
process.once('exit', killChildren);

const machine = {
  date: new Date().toISOString(),
  node: process.version,
  kernel: release(),
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  loadAverageAtEnd: [] as number[],
};
const options = {
  scenarios: scenarios.map((s) => s.id),
  runs,
  windowSeconds,
  graceMs: GRACE_MS,
  scale,
  connectsPerSecond,
  workers,
  profile: values.profile,
  servers,
};
console.log(
  `bench: ${machine.date}, Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ` +
    `${machine.memoryGb} GB, Linux ${machine.kernel}, ` +
    `load average ${machine.loadAverageAtStart.join(' ')}`,
);
console.log(
  `bench: scenarios ${options.scenarios.join(',')}, ${runs} run(s), ${windowSeconds} s windows, ` +
    `scale ${scale}, ramp ${connectsPerSecond}/s, ${workers} load workers; logs in ${logDir}` +
    (profileDir ? `; tickstream CPU profiles in ${profileDir}` : ''),
);

const results: ScenarioResult[] = [];
const allChecks: Check[] = [];
const resultsFile = `${resultsDir}/${stamp}.json`;

function save(): void {
  machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
  // Infinity (a percentile of lost ticks) is not JSON: write it as a string.
  const json = JSON.stringify(
    { machine, options, results, checks: allChecks },
    (_, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    2,
  );
  writeFileSync(resultsFile, json);
}

try {
  for (const scenario of scenarios) {
    const connections = Math.max(1, Math.round(scenario.connections * scale));
    const symbols = connectionSymbols(scenario, connections, CONNECTION_SEED);
    const result: ScenarioResult = {
      scenario,
      connections,
      markets: scenario.markets.map((market) => ({ market: market.name, runs: [], medians: {} })),
    };
    results.push(result);
    for (let run = 1; run <= runs; run++) {
      for (const [m, market] of scenario.markets.entries()) {
        for (const kind of servers) {
          const which = scenario.markets.length > 1 ? ` [${market.name}]` : '';
          const label = `S${scenario.id}${which} run ${run}/${runs} ${kind}`;
          console.log(`bench: ${label}: ${connections} connections...`);
          const measurement: Measurement = await measure({
            kind,
            scenario,
            market,
            symbols,
            windowSeconds,
            connectsPerSecond,
            workers,
            logFile: `${logDir}/s${scenario.id}-${m}-${kind}-${run}.log`,
            cpuProfileDir: profileDir,
          });
          const { metrics: x } = measurement;
          console.log(
            `bench: ${label}: ${x.established} established, ${x.refused} refused, ` +
              `${x.dropped} dropped; ${Math.round(x.deliveredEventsPerSecond)} events/s, ` +
              `p99 ${x.latencyP99Ms} ms, server CPU ${x.serverCpuPercent.toFixed(1)} %, ` +
              `load CPU ${x.loadCpuPercent.toFixed(1)} %`,
          );
          result.markets[m].runs.push(measurement);
        }
      }
    }
    for (const market of result.markets) {
      for (const kind of servers) {
        const own = market.runs.filter((r) => r.server === kind).map((r) => r.metrics);
        market.medians[kind] = medianMetrics(own);
      }
      console.log(`\n${marketTable(result, market)}`);
    }
    const found = checks(result, results);
    allChecks.push(...found);
    console.log(`\nTargets of S${scenario.id}:\n${formatChecks(found)}\n`);
    save();
  }
} catch (error) {
  save();
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`bench: partial results in ${resultsFile}`);
  process.exit(1);
}

save();
console.log(`All targets:\n${formatChecks(allChecks)}\n`);
console.log(
  `bench: done; load average ${machine.loadAverageAtEnd.join(' ')} at the end ` +
    `(${machine.loadAverageAtStart.join(' ')} at the start); results in ${resultsFile}`,
);
process.exit(0);
