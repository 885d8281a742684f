import { CONNECT_TIMEOUT_MS, type Measurement, type Metrics } from './measure.js';
import { median } from './quantiles.js';
import type { FanOutScenario } from './scenarios.js';
import { BASELINES, type BaselineKind, type ServerKind } from './servers.js';
import { formatNumber, formatRatio, ratio, table, type Check } from './table.js';

/** Every run of one market of a scenario, on every server that ran it. */
export interface MarketResult {
  market: string;
  runs: Measurement[];
  /** Per server, the median of each figure over its runs. */
  medians: Partial<Record<ServerKind, Metrics>>;
}

export interface FanOutResult {
  scenario: FanOutScenario;
  /** After --scale. */
  connections: number;
  /** The servers measured, tickstream first. */
  servers: ServerKind[];
  windowSeconds: number;
  markets: MarketResult[];
}

/** The median of each figure; null where no run has it. */
export function medianMetrics<T extends object>(runs: readonly T[]): T {
  const keys = Object.keys(runs[0]) as (keyof T)[];
  const entries = keys.map((key): [keyof T, number | null] => {
    const values = runs
      .map((run) => run[key])
      .filter((v): v is T[keyof T] & number => typeof v === 'number');
    return [key, values.length > 0 ? median(values) : null];
  });
  return Object.fromEntries(entries) as T;
}

type Better = 'higher' | 'lower';

interface Row {
  key: keyof Metrics;
  label: string;
  digits: number;
  /** Which way is better, for the figures held against the best baseline. */
  better?: Better;
}

const ROWS: readonly Row[] = [
  { key: 'connections', label: 'connections offered', digits: 0 },
  { key: 'established', label: 'established', digits: 0, better: 'higher' },
  { key: 'refused', label: 'refused', digits: 0 },
  { key: 'dropped', label: 'dropped by the server', digits: 0 },
  { key: 'served', label: 'served (>= 1 tick in window)', digits: 0 },
  { key: 'rampSeconds', label: 'ramp, until all answered (s)', digits: 1 },
  { key: 'subscribedTicksPerSecond', label: 'ticks/s of subscribed symbols', digits: 0 },
  { key: 'feedPercent', label: 'feed rate, % of TICKS_PER_SECOND', digits: 1 },
  { key: 'offeredEventsPerSecond', label: 'offered events/s (all conns.)', digits: 0 },
  { key: 'deliveredEventsPerSecond', label: 'delivered events/s', digits: 0, better: 'higher' },
  { key: 'deliveredPercent', label: 'delivered % of offered', digits: 2 },
  { key: 'fairnessMinPercent', label: 'per open conn. delivered %: min', digits: 2 },
  { key: 'fairnessP1Percent', label: 'per open conn. delivered %: p1', digits: 2 },
  { key: 'fairnessMedianPercent', label: 'per open conn. delivered %: median', digits: 2 },
  { key: 'eventsPerConnectionMin', label: 'per open conn. events/s: min', digits: 2 },
  { key: 'eventsPerConnectionP1', label: 'per open conn. events/s: p1', digits: 2 },
  { key: 'eventsPerConnectionMedian', label: 'per open conn. events/s: median', digits: 2 },
  { key: 'latencyP50Ms', label: 'latency p50 (ms)', digits: 0, better: 'lower' },
  { key: 'latencyP90Ms', label: 'latency p90 (ms)', digits: 0, better: 'lower' },
  { key: 'latencyP99Ms', label: 'latency p99 (ms)', digits: 0, better: 'lower' },
  { key: 'latencyMaxMs', label: 'latency max (ms)', digits: 0, better: 'lower' },
  { key: 'heartbeatsPerSecond', label: 'heartbeats received/s (all conns.)', digits: 0 },
  { key: 'heartbeatsPerConnectionMin', label: 'per open conn. heartbeats: min', digits: 0 },
  { key: 'serverCpuPercent', label: 'server CPU (% of a core)', digits: 1, better: 'lower' },
  {
    key: 'serverCpuMicrosPerEvent',
    label: 'server CPU µs per delivered event',
    digits: 2,
    better: 'lower',
  },
  {
    key: 'eventsPerCpuSecond',
    label: 'delivered events per server CPU-second',
    digits: 0,
    better: 'higher',
  },
  {
    key: 'serverCpuMicrosPerHeartbeat',
    label: 'server CPU µs per heartbeat',
    digits: 2,
    better: 'lower',
  },
  { key: 'serverRssIdleMb', label: 'server memory idle (MB)', digits: 1 },
  { key: 'serverRssEndMb', label: 'server memory at window end (MB)', digits: 1 },
  {
    key: 'serverRssPerConnectionKb',
    label: 'server memory per connection (KB)',
    digits: 1,
    better: 'lower',
  },
  { key: 'loadCpuPercent', label: 'load generator CPU (% of a core)', digits: 1 },
  { key: 'busiestWorkerCpuPercent', label: 'busiest load worker (% of a core)', digits: 1 },
  { key: 'healthP99Ms', label: 'GET /health/live p99 (ms)', digits: 0, better: 'lower' },
  { key: 'healthMaxMs', label: 'GET /health/live max (ms)', digits: 0, better: 'lower' },
];

/** The best baseline's value of a figure, and which baseline it is. */
function bestBaseline(
  medians: MarketResult['medians'],
  key: keyof Metrics,
  better: Better,
): { kind: BaselineKind; value: number } | undefined {
  let best: { kind: BaselineKind; value: number } | undefined;
  for (const kind of BASELINES) {
    const value = medians[kind]?.[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      continue;
    }
    if (best === undefined || (better === 'higher' ? value > best.value : value < best.value)) {
      best = { kind, value };
    }
  }
  return best;
}

/** The table of one market: a column per server, the best baseline, tickstream ÷ best. */
export function marketTable(result: FanOutResult, market: MarketResult): string {
  const { scenario } = result;
  const runs = market.runs.length / Math.max(1, Object.keys(market.medians).length);
  const title =
    `S${scenario.id}: ${scenario.title}` +
    (scenario.markets.length > 1 ? ` [${market.market}]` : '') +
    ` — ${result.connections.toLocaleString('en-US')} connections, median of ${runs} run(s)`;
  const header = ['metric', ...result.servers, 'best baseline', 'tickstream ÷ best'];
  const lines = ROWS.flatMap((row) => {
    const values = result.servers.map((kind) => market.medians[kind]?.[row.key]);
    if (values.every((value) => value === null || value === undefined)) {
      return [];
    }
    const best = row.better && bestBaseline(market.medians, row.key, row.better);
    return [
      [
        row.label,
        ...values.map((value) => formatNumber(value, row.digits)),
        best ? `${formatNumber(best.value, row.digits)} ${best.kind}` : '',
        best ? formatRatio(ratio(market.medians.tickstream?.[row.key], best.value)) : '',
      ],
    ];
  });
  const notes = market.runs.flatMap((run) =>
    run.notes.map((note) => `  note (${run.server}): ${note}`),
  );
  const refusals = market.runs.flatMap((run) =>
    Object.keys(run.refusals).length > 0
      ? [
          `  refusals (${run.server}): ${JSON.stringify(run.refusals)}` +
            (run.refusals.timeout ? ` (timeout: no answer in ${CONNECT_TIMEOUT_MS} ms)` : ''),
        ]
      : [],
  );
  const throttle = scenario.throttleMs;
  const held =
    throttle > 0
      ? [
          `  latency includes the throttle's intended hold of up to ${throttle} ms; ` +
            'nchan cannot throttle: it does not apply',
        ]
      : [];
  return [title, table(header, lines), ...held, ...refusals, ...notes].join('\n');
}

/** The targets of one scenario, from the medians; S4 needs S2 from the same invocation. */
export function fanOutChecks(result: FanOutResult, all: readonly FanOutResult[]): Check[] {
  const id = result.scenario.id;
  const medians = result.markets[0].medians;
  const t = medians.tickstream;
  const check = (target: string, measured: string, pass: boolean | undefined): Check => ({
    scenario: id,
    target,
    measured,
    verdict: pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS',
  });
  const info = (target: string, measured: string): Check => ({
    scenario: id,
    target,
    measured,
    verdict: 'info',
  });
  const every = (key: keyof Metrics, digits: number, unit = '', of = medians) =>
    result.servers
      .map((kind) => `${kind} ${formatNumber(of[kind]?.[key], digits)}${unit}`)
      .join(', ');
  const at = <T>(value: T | null | undefined, test: (value: T) => boolean) =>
    value === null || value === undefined ? undefined : test(value);
  const against = (key: keyof Metrics, better: Better) => {
    const best = bestBaseline(medians, key, better);
    return { best, ratio: ratio(t?.[key], best?.value) };
  };
  const bestText = (best: { kind: BaselineKind; value: number } | undefined, digits: number) =>
    best === undefined ? 'no baseline' : `best ${best.kind} ${formatNumber(best.value, digits)}`;

  /** The idle scenarios' checks: every stream open, every heartbeat on time. */
  const idleChecks = (): Check[] => {
    const period = result.scenario.heartbeatMs;
    // A period that straddles the window's start or end may fall outside it.
    const expected = Math.floor((result.windowSeconds * 1000) / period) - 1;
    const rss = against('serverRssPerConnectionKb', 'lower');
    const cpu = against('serverCpuPercent', 'lower');
    return [
      check(
        `tickstream establishes all ${result.connections} idle streams`,
        every('established', 0),
        at(t?.established, (v) => v === result.connections),
      ),
      check(
        `every idle stream gets a heartbeat every ${period} ms (tickstream: >= ${expected} ` +
          `in ${result.windowSeconds} s, each stream)`,
        `fewest a stream got: ${every('heartbeatsPerConnectionMin', 0)}`,
        at(t?.heartbeatsPerConnectionMin, (v) => v >= expected),
      ),
      info(
        'memory per idle stream',
        `${every('serverRssPerConnectionKb', 1, ' KB')}; tickstream ÷ ${bestText(rss.best, 1)} KB: ` +
          formatRatio(rss.ratio),
      ),
      info(
        'server CPU on heartbeats (% of a core)',
        `${every('serverCpuPercent', 1, ' %')}; tickstream ÷ ${bestText(cpu.best, 1)} %: ` +
          formatRatio(cpu.ratio),
      ),
      info('server CPU µs per heartbeat', every('serverCpuMicrosPerHeartbeat', 2, ' µs')),
    ];
  };

  switch (id) {
    case 1: {
      const efficiency = against('eventsPerCpuSecond', 'higher');
      const p99 = bestBaseline(medians, 'latencyP99Ms', 'lower');
      const plainRss = medians.plain?.serverRssPerConnectionKb;
      const rss = ratio(t?.serverRssPerConnectionKb, plainRss);
      return [
        check(
          'tickstream delivers 100 % (>= 99.99 % of offered to all connections, feed >= 99 % of its rate)',
          `${every('deliveredPercent', 2, ' %')}; feed ${every('feedPercent', 1, ' %')}`,
          at(t, (v) => (v.deliveredPercent ?? 0) >= 99.99 && (v.feedPercent ?? 100) >= 99),
        ),
        check(
          'every baseline delivers >= 99.9 % of offered (else its figures are not comparable)',
          every('deliveredPercent', 2, ' %'),
          result.servers
            .filter((kind) => kind !== 'tickstream')
            .every((kind) => (medians[kind]?.deliveredPercent ?? 0) >= 99.9),
        ),
        check(
          'events per server CPU-second >= 1.0× the best baseline',
          `tickstream ${formatNumber(t?.eventsPerCpuSecond, 0)}, ` +
            `${bestText(efficiency.best, 0)}: ${formatRatio(efficiency.ratio)}`,
          at(efficiency.ratio, (v) => v >= 1),
        ),
        check(
          "latency p99 <= the best baseline's + 5 ms",
          `tickstream ${formatNumber(t?.latencyP99Ms, 0)} ms, ${bestText(p99, 0)} ms`,
          at(t?.latencyP99Ms, (v) => p99 !== undefined && v <= p99.value + 5),
        ),
        check(
          "memory per connection <= 1.2× the plain server's",
          `tickstream ${formatNumber(t?.serverRssPerConnectionKb, 1)} KB, ` +
            `plain ${formatNumber(plainRss, 1)} KB: ${formatRatio(rss)}`,
          at(rss, (v) => v <= 1.2),
        ),
        info('server CPU µs per delivered event', every('serverCpuMicrosPerEvent', 2, ' µs')),
      ];
    }
    case 2: {
      const delivered = against('deliveredEventsPerSecond', 'higher');
      return [
        check(
          'delivered events/s >= 1.0× the best baseline',
          `tickstream ${formatNumber(t?.deliveredEventsPerSecond, 0)}/s, ` +
            `${bestText(delivered.best, 0)}/s: ${formatRatio(delivered.ratio)}`,
          at(delivered.ratio, (v) => v >= 1),
        ),
        check(
          `tickstream establishes every offered connection (${result.connections})`,
          every('established', 0),
          at(t?.established, (v) => v === result.connections),
        ),
        info('latency p99', every('latencyP99Ms', 0, ' ms')),
        // Delivered % is of what the feed made: it flatters a server whose feed fell behind.
        info(
          `the feed kept its rate (${result.scenario.markets[0].ticksPerSecond} ticks/s)`,
          every('feedPercent', 1, ' %'),
        ),
      ];
    }
    case 3:
      return [
        check(
          `tickstream establishes and serves all ${result.connections} connections`,
          `established ${every('established', 0)}; served ${every('served', 0)}`,
          at(t, (v) => v.established === result.connections && v.served === result.connections),
        ),
        check(
          'tickstream memory <= 25 KB per connection',
          every('serverRssPerConnectionKb', 1, ' KB'),
          at(t?.serverRssPerConnectionKb, (v) => v <= 25),
        ),
      ];
    case 4: {
      const s2 = all.find((other) => other.scenario.id === 2)?.markets[0].medians;
      const own = (kind: ServerKind) =>
        ratio(medians[kind]?.serverCpuMicrosPerEvent, s2?.[kind]?.serverCpuMicrosPerEvent);
      return [
        check(
          "tickstream's CPU per delivered event in S4 <= 1.5× its own in S2",
          s2 === undefined
            ? 'needs scenario 2 in the same invocation'
            : `tickstream ${formatNumber(t?.serverCpuMicrosPerEvent, 2)} µs vs ` +
                `${formatNumber(s2.tickstream?.serverCpuMicrosPerEvent, 2)} µs in S2: ` +
                `${formatRatio(own('tickstream'))}; the baselines' own: ` +
                result.servers
                  .filter((kind) => kind !== 'tickstream')
                  .map((kind) => `${kind} ${formatRatio(own(kind))}`)
                  .join(', '),
          s2 === undefined ? undefined : at(own('tickstream'), (v) => v <= 1.5),
        ),
      ];
    }
    case 5: {
      const on = result.markets.find((m) => m.market === 'BUSY on')?.medians ?? {};
      const off = result.markets.find((m) => m.market === 'BUSY off')?.medians ?? {};
      const cost = (kind: ServerKind) => {
        const [a, z] = [on[kind]?.serverCpuPercent, off[kind]?.serverCpuPercent];
        return a === undefined || z === undefined ? undefined : a - z;
      };
      const p99s = (kind: ServerKind) =>
        `${kind} ${formatNumber(on[kind]?.latencyP99Ms, 0)} vs ${formatNumber(off[kind]?.latencyP99Ms, 0)} ms`;
      return [
        check(
          'quiet subscribers get every tick while BUSY ticks (tickstream >= 99.99 %)',
          `BUSY on: ${every('deliveredPercent', 2, ' %', on)}`,
          at(on.tickstream?.deliveredPercent, (v) => v >= 99.99),
        ),
        check(
          // The quiet symbol ticks about once a second, so a window holds only a few fan-outs:
          // the tolerance is for that noise, not for a cost.
          "quiet subscribers' p99 with BUSY on <= with BUSY off × 1.1 + 1 ms (tickstream)",
          result.servers.map(p99s).join('; '),
          at(on.tickstream?.latencyP99Ms, (v) => {
            const control = off.tickstream?.latencyP99Ms;
            return typeof control === 'number' && v <= control * 1.1 + 1;
          }),
        ),
        info(
          "BUSY's server CPU cost (on − off), % of a core",
          result.servers.map((kind) => `${kind} ${formatNumber(cost(kind), 1)}`).join(', '),
        ),
      ];
    }
    case 6:
      return idleChecks();
    case 9: {
      const rss = against('serverRssPerConnectionKb', 'lower');
      const nchanRss = medians.nchan?.serverRssPerConnectionKb;
      const batchedCpu = medians.batched?.serverCpuMicrosPerHeartbeat;
      return [
        ...idleChecks(),
        check(
          'GET /health/live answers within 100 ms throughout (from the end of the ramp to the end of the window)',
          `tickstream p99 ${formatNumber(t?.healthP99Ms, 0)} ms, max ${formatNumber(t?.healthMaxMs, 0)} ms`,
          at(t?.healthMaxMs, (v) => v <= 100),
        ),
        check(
          "memory per idle stream <= nchan's",
          `tickstream ${formatNumber(t?.serverRssPerConnectionKb, 1)} KB, nchan ` +
            `${formatNumber(nchanRss, 1)} KB: ${formatRatio(ratio(t?.serverRssPerConnectionKb, nchanRss))}` +
            `; ${bestText(rss.best, 1)} KB`,
          at(ratio(t?.serverRssPerConnectionKb, nchanRss), (v) => v <= 1),
        ),
        check(
          "server CPU per heartbeat <= the batched server's (unreliable on a loaded machine)",
          `tickstream ${formatNumber(t?.serverCpuMicrosPerHeartbeat, 2)} µs, batched ` +
            `${formatNumber(batchedCpu, 2)} µs: ` +
            formatRatio(ratio(t?.serverCpuMicrosPerHeartbeat, batchedCpu)),
          at(ratio(t?.serverCpuMicrosPerHeartbeat, batchedCpu), (v) => v <= 1),
        ),
      ];
    }
    default:
      return [];
  }
}
