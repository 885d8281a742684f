import type { Bus, StormMeasurement, StormMetrics } from './resume-storm.js';
import type { StormScenario } from './scenarios.js';
import { formatNumber, table, type Check } from './table.js';

export interface StormResult {
  scenario: StormScenario;
  buses: Bus[];
  runs: StormMeasurement[];
  /** Per bus, the median of each figure over its runs. */
  medians: Partial<Record<Bus, StormMetrics>>;
  notes: string[];
}

interface Row {
  key: keyof StormMetrics;
  label: string;
  digits: number;
}

const ROWS: readonly Row[] = [
  { key: 'streams', label: 'resuming streams (from one address)', digits: 0 },
  { key: 'established', label: 'established', digits: 0 },
  { key: 'refused', label: 'refused', digits: 0 },
  { key: 'endedByServer', label: 'ended by the server', digits: 0 },
  { key: 'historyTicks', label: 'history (ticks, HISTORY_SIZE)', digits: 0 },
  { key: 'fillSeconds', label: 'history filled in (s)', digits: 1 },
  { key: 'replayTicks', label: 'replay per stream (ticks after its resume id)', digits: 0 },
  { key: 'liveTicks', label: 'live ticks posted during the storm', digits: 0 },
  { key: 'stormSeconds', label: 'storm (s)', digits: 1 },
  { key: 'catchUpSeconds', label: 'until every resumer caught up (s)', digits: 1 },
  { key: 'memoryBeforeMb', label: 'server RSS before (MB)', digits: 1 },
  { key: 'memoryPeakMb', label: 'server RSS peak (MB)', digits: 1 },
  { key: 'memoryGrowthMb', label: 'server RSS growth (MB)', digits: 1 },
  { key: 'memoryAfterMb', label: 'server RSS after the resumers left (MB)', digits: 1 },
  { key: 'cpuSeconds', label: 'server CPU in the storm (s)', digits: 1 },
  { key: 'cpuPercent', label: 'server CPU (% of a core)', digits: 1 },
  { key: 'healthP50Ms', label: '/health/live p50 (ms)', digits: 0 },
  { key: 'healthP99Ms', label: '/health/live p99 (ms)', digits: 0 },
  { key: 'healthMaxMs', label: '/health/live max (ms)', digits: 0 },
  { key: 'healthFailed', label: '/health/live failed', digits: 0 },
  { key: 'openP50Ms', label: 'new stream, first frame p50 (ms)', digits: 0 },
  { key: 'openP99Ms', label: 'new stream, first frame p99 (ms)', digits: 0 },
  { key: 'openMaxMs', label: 'new stream, first frame max (ms)', digits: 0 },
  { key: 'openFailed', label: 'new streams failed', digits: 0 },
  { key: 'liveP50Ms', label: 'live tick to another stream p50 (ms)', digits: 0 },
  { key: 'liveP99Ms', label: 'live tick to another stream p99 (ms)', digits: 0 },
  { key: 'liveMaxMs', label: 'live tick to another stream max (ms)', digits: 0 },
  { key: 'ingestMaxMs', label: 'POST /api/ticks max (ms)', digits: 0 },
  { key: 'replayedEvents', label: '/metrics: events replayed', digits: 0 },
  { key: 'conflatedEvents', label: '/metrics: events conflated', digits: 0 },
  { key: 'slowClientsCut', label: '/metrics: slow clients cut', digits: 0 },
  { key: 'resets', label: '/metrics: resets', digits: 0 },
  { key: 'checkedTicks', label: 'ticks received and checked', digits: 0 },
  { key: 'lost', label: 'lost (skipped after the resume id)', digits: 0 },
  { key: 'repeated', label: 'repeated or out of order', digits: 0 },
  { key: 'foreign', label: 'of a symbol not asked for', digits: 0 },
  { key: 'unknown', label: 'never published', digits: 0 },
  { key: 'resetFrames', label: 'reset frames', digits: 0 },
  { key: 'errorFrames', label: 'error frames', digits: 0 },
  { key: 'missingAtEnd', label: 'not received by the end', digits: 0 },
];

/** The bench's own bounds for "a replay costs bounded memory" and "others keep being served". */
const MEMORY_PER_STREAM_MB = 1;
const HEALTH_P99_MS = 100;
const HEALTH_MAX_MS = 1_000;
const OPEN_P99_MS = 500;

export function stormTable(result: StormResult): string {
  const runs = result.runs.length / Math.max(1, result.buses.length);
  const title = `S${result.scenario.id}: ${result.scenario.title} — tickstream, median of ${runs} run(s)`;
  const header = ['metric', ...result.buses.map((bus) => `BUS=${bus}`)];
  const lines = ROWS.flatMap((row) => {
    const values = result.buses.map((bus) => result.medians[bus]?.[row.key]);
    return values.every((value) => value === null || value === undefined)
      ? []
      : [[row.label, ...values.map((value) => formatNumber(value, row.digits))]];
  });
  const details = result.runs.flatMap((run) =>
    [
      ['refused', run.refusals] as const,
      ['error frames', run.errors] as const,
      ...Object.entries(run.failures).map(
        ([probe, failures]) => [`${probe} failed`, failures] as const,
      ),
    ].flatMap(([what, counts]) =>
      Object.keys(counts).length > 0
        ? [`  ${what} (BUS=${run.bus}): ${JSON.stringify(counts)}`]
        : [],
    ),
  );
  return [title, table(header, lines), ...details, ...result.notes.map((n) => `  note: ${n}`)].join(
    '\n',
  );
}

export function stormChecks(result: StormResult): Check[] {
  const id = result.scenario.id;
  return result.buses.flatMap((bus): Check[] => {
    const m = result.medians[bus];
    const check = (target: string, measured: string, pass: boolean | undefined): Check => ({
      scenario: id,
      target: `BUS=${bus}: ${target}`,
      measured,
      verdict: m === undefined || pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS',
    });
    if (m === undefined) {
      return [check('the storm ran', 'no result', undefined)];
    }
    const memoryBound = m.streams * MEMORY_PER_STREAM_MB;
    const list = [
      check(
        `server RSS grows <= ${MEMORY_PER_STREAM_MB} MB per resuming stream (${memoryBound} MB)`,
        `${formatNumber(m.memoryGrowthMb, 1)} MB (peak ${formatNumber(m.memoryPeakMb, 1)} MB)`,
        m.memoryGrowthMb <= memoryBound,
      ),
      check(
        `/health/live keeps answering: none failed, p99 <= ${HEALTH_P99_MS} ms, max <= ${HEALTH_MAX_MS} ms`,
        `p50 ${formatNumber(m.healthP50Ms, 0)}, p99 ${formatNumber(m.healthP99Ms, 0)}, ` +
          `max ${formatNumber(m.healthMaxMs, 0)} ms; ${m.healthFailed} failed`,
        m.healthFailed === 0 &&
          (m.healthP99Ms ?? Infinity) <= HEALTH_P99_MS &&
          (m.healthMaxMs ?? Infinity) <= HEALTH_MAX_MS,
      ),
      check(
        `new streams from another address open: none failed, first frame p99 <= ${OPEN_P99_MS} ms`,
        `p50 ${formatNumber(m.openP50Ms, 0)}, p99 ${formatNumber(m.openP99Ms, 0)}, ` +
          `max ${formatNumber(m.openMaxMs, 0)} ms; ${m.openFailed} failed`,
        m.openFailed === 0 && (m.openP99Ms ?? Infinity) <= OPEN_P99_MS,
      ),
      {
        scenario: id,
        target: `BUS=${bus}: what the storm cost`,
        measured:
          `server CPU ${formatNumber(m.cpuSeconds, 1)} s (${formatNumber(m.cpuPercent, 1)} % of a ` +
          `core); live ticks to another stream p99 ${formatNumber(m.liveP99Ms, 0)} ms; ` +
          `${m.established} of ${m.streams} resumers established`,
        verdict: 'info' as const,
      },
    ];
    if (result.scenario.reading) {
      const wrong = [m.lost, m.repeated, m.foreign, m.unknown, m.resetFrames, m.errorFrames];
      list.push(
        check(
          'every resumer gets exactly the ticks after its resume id, in order, then live ' +
            'without a gap (nothing lost, repeated, foreign or unknown; no reset, no error)',
          `${formatNumber(m.checkedTicks, 0)} ticks checked: lost ${m.lost}, repeated ${m.repeated}, ` +
            `foreign ${m.foreign}, unknown ${m.unknown}, resets ${m.resetFrames}, errors ${m.errorFrames}`,
          m.established === m.streams && wrong.every((n) => n === 0),
        ),
        check(
          'every resumer catches up with the live ticks before the storm ends',
          `${formatNumber(m.missingAtEnd, 0)} ticks not received by the end; ` +
            `${m.endedByServer} streams ended by the server; caught up in ` +
            `${formatNumber(m.catchUpSeconds, 1)} s`,
          m.missingAtEnd === 0 && m.endedByServer === 0,
        ),
      );
    }
    return list;
  });
}
