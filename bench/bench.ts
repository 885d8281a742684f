// npm run bench [-- --scenarios 1,2,7 --runs 3 --window 20 --scale 1 --ramp 1000 --workers 2
//                  --servers tickstream,plain,batched,nchan --nchan-workers 1
//                  --buses memory,redis --profile]
// The load benchmark: each fan-out scenario runs tickstream and the baselines that apply
// (bench/servers.ts) one after the other on the same market, in processes of their own, against
// the same load generator (bench/load-worker.ts), and prints every server's figures with
// tickstream's ratio to the best baseline of each: on a shared machine absolute figures drift
// while ratios hold. The resume storms run on tickstream alone, on each bus. Figures are medians
// over the runs; the targets are checked from them. Results go to dist-bench/results/<time>.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killChildren } from './child-processes.js';
import { attributionTable, profileIn, readProfile } from './cpu-profile.js';
import { GRACE_MS, measure, type Measurement } from './measure.js';
import { NCHAN_MODULE, NGINX } from './nchan-config.js';
import { redisAnswers } from './redis-prefix.js';
import { fanOutChecks, marketTable, medianMetrics, type FanOutResult } from './report.js';
import { BUSES, measureStorm } from './resume-storm.js';
import { connectionSymbols, runsOn, SCENARIOS, type Scenario } from './scenarios.js';
import { SERVER_KINDS } from './servers.js';
import { stormChecks, stormTable, type StormResult } from './storm-report.js';
import { formatChecks, type Check } from './table.js';

const CONNECTION_SEED = 6;
const OUT_DIR = fileURLToPath(new URL('..', import.meta.url));
const PROFILE_TOP = 20;

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** A comma-separated option, each item one of `known`. */
function listOf<T extends string | number>(value: string, known: readonly T[], what: string): T[] {
  return value.split(',').map((item) => {
    const found = known.find((k) => String(k) === item.trim());
    return found ?? fail(`no ${what} "${item}"; there are ${known.join(',')}`);
  });
}

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: SCENARIOS.map((s) => s.id).join(',') },
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '20' },
    scale: { type: 'string', default: '1' },
    ramp: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    servers: { type: 'string', default: SERVER_KINDS.join(',') },
    buses: { type: 'string', default: BUSES.join(',') },
    'nchan-workers': { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
  },
});
const scenarios = listOf(
  values.scenarios,
  SCENARIOS.map((s) => s.id),
  'scenario',
).map((id) => SCENARIOS.find((s) => s.id === id) as Scenario);
const servers = listOf(values.servers, SERVER_KINDS, 'server');
const runs = Number(values.runs);
const windowSeconds = Number(values.window);
const scale = Number(values.scale);
const connectsPerSecond = Number(values.ramp);
const workers = Number(values.workers);
const nchanWorkers = Number(values['nchan-workers']);
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
if (!(Number.isInteger(nchanWorkers) && nchanWorkers >= 1 && nchanWorkers <= 64)) {
  fail('--nchan-workers is 1..64');
}
const notes: string[] = [];
let buses = listOf(values.buses, BUSES, 'bus');
if (
  scenarios.some((s) => s.kind === 'storm') &&
  buses.includes('redis') &&
  !(await redisAnswers())
) {
  buses = buses.filter((bus) => bus !== 'redis');
  notes.push('no Redis answers on 127.0.0.1:6379: the storms ran on the memory bus only');
}
const runsNchan = servers.includes('nchan') && scenarios.some((s) => runsOn(s, 'nchan'));
if (runsNchan && !(existsSync(NGINX) && existsSync(NCHAN_MODULE))) {
  fail(
    `nginx with nchan is missing (${NGINX}, ${NCHAN_MODULE}): run through npm run bench ` +
      '(bench/run.sh installs nginx and libnginx-mod-nchan), or leave it out with --servers',
  );
}

/** The soft limit on open files, which every child inherits. */
function openFileLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}
const largest = Math.max(
  0,
  ...scenarios.map((s) => Math.round((s.kind === 'storm' ? s.streams : s.connections) * scale)),
);
// The server holds every connection and some files of its own (a Node process, about 30); a
// worker holds its share. Scenario 9 leaves the server 100 of the 20,000 a process may hold here.
if (openFileLimit() < largest + 64) {
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
  nchanWorkers,
  profile: values.profile,
  servers,
  buses,
};
console.log(
  `bench: ${machine.date}, Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ` +
    `${machine.memoryGb} GB, Linux ${machine.kernel}, ` +
    `load average ${machine.loadAverageAtStart.join(' ')}`,
);
console.log(
  `bench: scenarios ${options.scenarios.join(',')}, ${runs} run(s), ${windowSeconds} s windows, ` +
    `scale ${scale}, ramp ${connectsPerSecond}/s, ${workers} load workers, servers ` +
    `${servers.join(',')} (nchan: ${nchanWorkers} nginx workers), buses ${buses.join(',')}; ` +
    `logs in ${logDir}` +
    (profileDir ? `; tickstream CPU profiles in ${profileDir}` : ''),
);
notes.forEach((note) => console.log(`bench: ${note}`));

const fanOuts: FanOutResult[] = [];
const storms: StormResult[] = [];
const allChecks: Check[] = [];
const resultsFile = `${resultsDir}/${stamp}.json`;

function save(): void {
  machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
  // Infinity (a percentile of lost ticks) is not JSON: write it as a string.
  const json = JSON.stringify(
    { machine, options, notes, fanOuts, storms, checks: allChecks },
    (_, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    2,
  );
  writeFileSync(resultsFile, json);
}

/** A folder of one measurement's own, for its logs and files. */
function folder(root: string, name: string): string {
  const dir = `${root}/${name}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Where tickstream's CPU went in the window, per function and per folder or package. */
function printProfile(measurement: Measurement, label: string): void {
  const window = measurement.profile;
  const file = window && profileIn(window.dir);
  if (window === undefined || file === undefined) {
    return;
  }
  const profile = readProfile(file);
  const span = {
    fromSeconds: window.fromSeconds,
    toSeconds: window.toSeconds,
    events: window.events,
  };
  const perEvent = measurement.metrics.serverCpuMicrosPerEvent;
  console.log(
    `\n${label}: tickstream's main thread in the window, from ${file} (the process as /proc ` +
      `counts it: ${perEvent === null ? '—' : perEvent.toFixed(2)} µs per event, ` +
      'kernel work on its sockets included)',
  );
  console.log(attributionTable(profile, { ...span, by: 'function' }, PROFILE_TOP));
  console.log(attributionTable(profile, { ...span, by: 'package' }, PROFILE_TOP));
}

try {
  for (const scenario of scenarios) {
    if (scenario.kind === 'storm') {
      const result: StormResult = { scenario, buses, runs: [], medians: {}, notes: [] };
      storms.push(result);
      for (let run = 1; run <= runs; run++) {
        for (const bus of buses) {
          const label = `S${scenario.id} run ${run}/${runs} BUS=${bus}`;
          console.log(`bench: ${label}...`);
          const name = `s${scenario.id}-${bus}-${run}`;
          const measurement = await measureStorm({
            scenario,
            bus,
            scale,
            workers,
            dir: folder(logDir, name),
            cpuProfileDir: profileDir && folder(profileDir, name),
          });
          const m = measurement.metrics;
          console.log(
            `bench: ${label}: ${m.established}/${m.streams} resumers, RSS +${m.memoryGrowthMb.toFixed(0)} MB, ` +
              `CPU ${m.cpuSeconds.toFixed(1)} s, /health/live max ${m.healthMaxMs} ms` +
              (scenario.reading ? `, ${m.checkedTicks} ticks checked, ${m.lost} lost` : ''),
          );
          result.runs.push(measurement);
        }
      }
      for (const bus of buses) {
        const own = result.runs.filter((r) => r.bus === bus).map((r) => r.metrics);
        result.medians[bus] = own.length > 0 ? medianMetrics(own) : undefined;
      }
      console.log(`\n${stormTable(result)}`);
      const found = stormChecks(result);
      allChecks.push(...found);
      console.log(`\nTargets of S${scenario.id}:\n${formatChecks(found)}\n`);
      save();
      continue;
    }
    const connections = Math.max(1, Math.round(scenario.connections * scale));
    const symbols = connectionSymbols(scenario, connections, CONNECTION_SEED);
    const result: FanOutResult = {
      scenario,
      connections,
      servers: servers.filter((kind) => runsOn(scenario, kind)),
      windowSeconds,
      markets: scenario.markets.map((market) => ({ market: market.name, runs: [], medians: {} })),
    };
    fanOuts.push(result);
    for (let run = 1; run <= runs; run++) {
      for (const [m, market] of scenario.markets.entries()) {
        for (const kind of result.servers) {
          const which = scenario.markets.length > 1 ? ` [${market.name}]` : '';
          const label = `S${scenario.id}${which} run ${run}/${runs} ${kind}`;
          console.log(`bench: ${label}: ${connections} connections...`);
          const name = `s${scenario.id}-${m}-${kind}-${run}`;
          const measurement = await measure({
            kind,
            scenario,
            market,
            symbols,
            windowSeconds,
            connectsPerSecond,
            workers,
            nchanWorkers,
            dir: folder(logDir, name),
            cpuProfileDir:
              kind === 'tickstream' && profileDir ? folder(profileDir, name) : undefined,
          });
          const { metrics: x } = measurement;
          console.log(
            `bench: ${label}: ${x.established} established, ${x.refused} refused, ` +
              `${x.dropped} dropped; ${Math.round(x.deliveredEventsPerSecond)} events/s, ` +
              `p99 ${x.latencyP99Ms} ms, server CPU ${x.serverCpuPercent.toFixed(1)} %, ` +
              `load CPU ${x.loadCpuPercent.toFixed(1)} %`,
          );
          printProfile(measurement, label);
          result.markets[m].runs.push(measurement);
        }
      }
    }
    for (const market of result.markets) {
      for (const kind of result.servers) {
        const own = market.runs.filter((r) => r.server === kind).map((r) => r.metrics);
        market.medians[kind] = medianMetrics(own);
      }
      console.log(`\n${marketTable(result, market)}`);
    }
    const found = fanOutChecks(result, fanOuts);
    allChecks.push(...found);
    console.log(`\nTargets of S${scenario.id}:\n${formatChecks(found)}\n`);
    save();
  }
} catch (error) {
  save();
  console.error(
    `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
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
