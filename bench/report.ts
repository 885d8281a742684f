import { CONNECT_TIMEOUT_MS, type Measurement, type Metrics } from './measure.js';
import { median } from './quantiles.js';
import type { Scenario } from './scenarios.js';
import { SERVER_KINDS, type ServerKind } from './server-process.js';

/** Every run of one market of a scenario, on both servers. */
export interface MarketResult {
  market: string;
  runs: Measurement[];
  /** Per server, the median of each figure over its runs. */
  medians: Partial<Record<ServerKind, Metrics>>;
}

export interface ScenarioResult {
  scenario: Scenario;
  /** After --scale. */
  connections: number;
  markets: MarketResult[];
}

export type Verdict = 'PASS' | 'MISS' | 'n/a' | 'info';

export interface Check {
  scenario: number;
  target: string;
  measured: string;
  verdict: Verdict;
}

/** The median of each figure; null where no run has it. */
export function medianMetrics(runs: readonly Metrics[]): Metrics {
  const keys = Object.keys(runs[0]) as (keyof Metrics)[];
  const entries = keys.map((key): [keyof Metrics, number | null] => {
    const values = runs.map((run) => run[key]).filter((v): v is number => v !== null);
    return [key, values.length > 0 ? median(values) : null];
  });
  return Object.fromEntries(entries) as unknown as Metrics;
}

interface Row {
  key: keyof Metrics;
  label: string;
  digits: number;
}

const ROWS: readonly Row[] = [
  { key: 'connections', label: 'connections offered', digits: 0 },
  { key: 'established', label: 'established', digits: 0 },
  { key: 'refused', label: 'refused', digits: 0 },
  { key: 'dropped', label: 'dropped by the server', digits: 0 },
  { key: 'served', label: 'served (>= 1 tick in window)', digits: 0 },
  { key: 'rampSeconds', label: 'ramp, until all answered (s)', digits: 1 },
  { key: 'subscribedTicksPerSecond', label: 'ticks/s of subscribed symbols', digits: 0 },
  { key: 'feedPercent', label: 'feed rate, % of TICKS_PER_SECOND', digits: 1 },
  { key: 'offeredEventsPerSecond', label: 'offered events/s (all conns.)', digits: 0 },
  { key: 'deliveredEventsPerSecond', label: 'delivered events/s', digits: 0 },
  { key: 'deliveredPercent', label: 'delivered % of offered', digits: 2 },
  { key: 'fairnessMinPercent', label: 'per open conn. delivered %: min', digits: 2 },
  { key: 'fairnessP1Percent', label: 'per open conn. delivered %: p1', digits: 2 },
  { key: 'fairnessMedianPercent', label: 'per open conn. delivered %: median', digits: 2 },
  { key: 'eventsPerConnectionMin', label: 'per open conn. events/s: min', digits: 2 },
  { key: 'eventsPerConnectionP1', label: 'per open conn. events/s: p1', digits: 2 },
  { key: 'eventsPerConnectionMedian', label: 'per open conn. events/s: median', digits: 2 },
  { key: 'latencyP50Ms', label: 'latency p50 (ms)', digits: 0 },
  { key: 'latencyP90Ms', label: 'latency p90 (ms)', digits: 0 },
  { key: 'latencyP99Ms', label: 'latency p99 (ms)', digits: 0 },
  { key: 'latencyMaxMs', label: 'latency max (ms)', digits: 0 },
  { key: 'serverCpuPercent', label: 'server CPU (% of a core)', digits: 1 },
  { key: 'serverCpuMicrosPerEvent', label: 'server CPU µs per delivered event', digits: 2 },
  { key: 'serverRssIdleMb', label: 'server RSS idle (MB)', digits: 1 },
  { key: 'serverRssEndMb', label: 'server RSS at window end (MB)', digits: 1 },
  { key: 'serverRssPerConnectionKb', label: 'server RSS per connection (KB)', digits: 1 },
  { key: 'loadCpuPercent', label: 'load generator CPU (% of a core)', digits: 1 },
  { key: 'busiestWorkerCpuPercent', label: 'busiest load worker (% of a core)', digits: 1 },
];

export function formatNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '—';
  }
  if (!Number.isFinite(value)) {
    return 'lost';
  }
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | undefined {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isFinite(a / b)
    ? a / b
    : undefined;
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(2)}×`;
}

/** The table of one market: metric | tickstream | baseline | ratio. */
export function marketTable(scenario: ScenarioResult, market: MarketResult): string {
  const runs = market.runs.length / Math.max(1, Object.keys(market.medians).length);
  const title =
    `S${scenario.scenario.id}: ${scenario.scenario.title}` +
    (scenario.scenario.markets.length > 1 ? ` [${market.market}]` : '') +
    ` — ${scenario.connections.toLocaleString('en-US')} connections, median of ${runs} run(s)`;
  const header = ['metric', ...SERVER_KINDS, 'ratio'];
  const lines = ROWS.flatMap((row) => {
    const values = SERVER_KINDS.map((kind) => market.medians[kind]?.[row.key]);
    if (values.every((value) => value === null || value === undefined)) {
      return [];
    }
    return [
      [
        row.label,
        ...values.map((value) => formatNumber(value, row.digits)),
        formatRatio(ratio(values[0], values[1])),
      ],
    ];
  });
  const widths = header.map((_, c) =>
    Math.max(...[header, ...lines].map((line) => line[c].length)),
  );
  const pad = (cell: string, c: number) =>
    c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]);
  const format = (line: string[]) => `| ${line.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
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
  const throttle = scenario.scenario.throttleMs;
  const held =
    throttle > 0 ? [`  latency includes the throttle's intended hold of up to ${throttle} ms`] : [];
  return [title, format(header), rule, ...lines.map(format), ...held, ...refusals, ...notes].join(
    '\n',
  );
}

/** The issue's targets for one scenario, from the medians; S4 needs S2 from the same invocation. */
export function checks(result: ScenarioResult, all: readonly ScenarioResult[]): Check[] {
  const id = result.scenario.id;
  const t = result.markets[0].medians.tickstream;
  const b = result.markets[0].medians.baseline;
  const check = (target: string, measured: string, pass: boolean | undefined): Check => ({
    scenario: id,
    target,
    measured,
    verdict: pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS',
  });
  const both = (key: keyof Metrics, digits: number, unit = '') =>
    `tickstream ${formatNumber(t?.[key], digits)}${unit}, baseline ${formatNumber(b?.[key], digits)}${unit}`;
  const at = <T>(value: T | null | undefined, test: (value: T) => boolean) =>
    value === null || value === undefined ? undefined : test(value);

  switch (id) {
    case 1: {
      const cpu = ratio(t?.serverCpuPercent, b?.serverCpuPercent);
      const perEvent = ratio(t?.serverCpuMicrosPerEvent, b?.serverCpuMicrosPerEvent);
      return [
        check(
          'tickstream delivers 100 % (>= 99.99 % of offered to all connections, feed >= 99 % of its rate)',
          `${both('deliveredPercent', 2, ' %')}; feed ${both('feedPercent', 1, ' %')}`,
          at(t, (v) => (v.deliveredPercent ?? 0) >= 99.99 && (v.feedPercent ?? 100) >= 99),
        ),
        check(
          'tickstream latency p99 <= 10 ms',
          both('latencyP99Ms', 0, ' ms'),
          at(t?.latencyP99Ms, (v) => v <= 10),
        ),
        check(
          'tickstream server CPU <= 1.2× baseline',
          `${both('serverCpuPercent', 1, ' %')}: ${formatRatio(cpu)}`,
          at(cpu, (v) => v <= 1.2),
        ),
        {
          scenario: id,
          // Only this compares fairly when a server is saturated and delivers less.
          target: 'server CPU per delivered event',
          measured: `${both('serverCpuMicrosPerEvent', 2, ' µs')}: ${formatRatio(perEvent)}`,
          verdict: 'info',
        },
      ];
    }
    case 2: {
      const rate = ratio(t?.deliveredEventsPerSecond, b?.deliveredEventsPerSecond);
      return [
        check(
          'tickstream delivered events/s >= 1.0× baseline',
          `${both('deliveredEventsPerSecond', 0, '/s')}: ${formatRatio(rate)}`,
          at(rate, (v) => v >= 1),
        ),
        check(
          'tickstream latency p99 <= 100 ms',
          both('latencyP99Ms', 0, ' ms'),
          at(t?.latencyP99Ms, (v) => v <= 100),
        ),
        check(
          `tickstream establishes every offered connection (${result.connections})`,
          both('established', 0),
          at(t?.established, (v) => v === result.connections),
        ),
        {
          scenario: id,
          // Delivered % is of what the feed made: it flatters a server whose feed fell behind.
          target: `the feed kept its rate (${result.scenario.markets[0].ticksPerSecond} ticks/s)`,
          measured: both('feedPercent', 1, ' %'),
          verdict: 'info',
        },
      ];
    }
    case 3:
      return [
        check(
          `tickstream establishes and serves all ${result.connections} connections`,
          `established ${both('established', 0)}; served ${both('served', 0)}`,
          at(t, (v) => v.established === result.connections && v.served === result.connections),
        ),
        check(
          'tickstream server RSS <= 25 KB per connection',
          both('serverRssPerConnectionKb', 1, ' KB'),
          at(t?.serverRssPerConnectionKb, (v) => v <= 25),
        ),
      ];
    case 4: {
      const s2 = all.find((other) => other.scenario.id === 2)?.markets[0].medians;
      const own = (kind: ServerKind) =>
        ratio(
          result.markets[0].medians[kind]?.serverCpuMicrosPerEvent,
          s2?.[kind]?.serverCpuMicrosPerEvent,
        );
      return [
        check(
          "tickstream's CPU per delivered event in S4 <= 1.5× its own in S2",
          s2 === undefined
            ? 'needs scenario 2 in the same invocation'
            : `tickstream ${formatNumber(t?.serverCpuMicrosPerEvent, 2)} µs vs ` +
                `${formatNumber(s2.tickstream?.serverCpuMicrosPerEvent, 2)} µs in S2: ` +
                `${formatRatio(own('tickstream'))} (baseline's own: ${formatRatio(own('baseline'))})`,
          at(own('tickstream'), (v) => v <= 1.5),
        ),
      ];
    }
    case 5: {
      const on = result.markets.find((m) => m.market === 'BUSY on')?.medians;
      const off = result.markets.find((m) => m.market === 'BUSY off')?.medians;
      const cost = (kind: ServerKind) => {
        const [a, z] = [on?.[kind]?.serverCpuPercent, off?.[kind]?.serverCpuPercent];
        return a === undefined || z === undefined ? undefined : a - z;
      };
      const p99 = (m: typeof on, kind: ServerKind) => formatNumber(m?.[kind]?.latencyP99Ms, 0);
      return [
        check(
          'quiet subscribers get every tick while BUSY ticks (tickstream >= 99.99 %)',
          `BUSY on: tickstream ${formatNumber(on?.tickstream?.deliveredPercent, 2)} %, ` +
            `baseline ${formatNumber(on?.baseline?.deliveredPercent, 2)} %`,
          at(on?.tickstream?.deliveredPercent, (v) => v >= 99.99),
        ),
        check(
          // The quiet symbol ticks about once a second, so a window holds only a few fan-outs:
          // the tolerance is for that noise, not for a cost.
          "quiet subscribers' p99 with BUSY on <= with BUSY off × 1.1 + 1 ms (tickstream)",
          `tickstream ${p99(on, 'tickstream')} vs ${p99(off, 'tickstream')} ms; ` +
            `baseline ${p99(on, 'baseline')} vs ${p99(off, 'baseline')} ms`,
          at(on?.tickstream?.latencyP99Ms, (v) => {
            const control = off?.tickstream?.latencyP99Ms;
            return typeof control === 'number' && v <= control * 1.1 + 1;
          }),
        ),
        {
          scenario: id,
          target: "BUSY's server CPU cost (on − off), % of a core",
          measured:
            `tickstream ${formatNumber(cost('tickstream'), 1)}, ` +
            `baseline ${formatNumber(cost('baseline'), 1)}`,
          verdict: 'info',
        },
      ];
    }
    default:
      return [];
  }
}

export function formatChecks(list: readonly Check[]): string {
  return list
    .map((c) => `  [${c.verdict.padEnd(4)}] S${c.scenario} ${c.target}: ${c.measured}`)
    .join('\n');
}
