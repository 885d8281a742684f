import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from './table.js';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that attribution reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What the self time is summed by. */
export type Grouping = 'function' | 'file' | 'package';

export interface AttributionOptions {
  by: Grouping;
  /** Seconds from the profile's start: only samples in [from, to) count. */
  fromSeconds?: number;
  toSeconds?: number;
  /** Events in that span, to give each row's µs per event. */
  events?: number;
}

export interface Attribution {
  name: string;
  selfMicros: number;
}

/** V8's name for the samples taken while the thread waited for work. */
const IDLE = '(idle)';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A script's url as a short path: relative to the repository, or from its package. */
function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    return path.slice(inModules + 'node_modules/'.length);
  }
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/** An npm package, Node's core, or a folder of this repository (e.g. `dist/stream/`). */
function packageOf(url: string): string {
  if (url === '') {
    return '(V8 and native)';
  }
  if (url.startsWith('node:')) {
    return 'node: (Node.js core)';
  }
  const path = shortUrl(url);
  if (url.includes('node_modules/')) {
    const parts = path.split('/');
    return parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/');
  }
  return path.startsWith('/') ? path : `${path.split('/').slice(0, -1).join('/')}/`;
}

function keyOf(frame: CpuProfile['nodes'][number]['callFrame'], by: Grouping): string {
  const special = frame.url === '' && frame.functionName.startsWith('(');
  if (special) {
    return frame.functionName;
  }
  switch (by) {
    case 'function':
      return `${frame.functionName || '(anonymous)'} ${frame.url === '' ? '(native)' : `${shortUrl(frame.url)}:${frame.lineNumber + 1}`}`;
    case 'file':
      return frame.url === '' ? '(V8 and native)' : shortUrl(frame.url);
    case 'package':
      return packageOf(frame.url);
  }
}

/** Self time by function, file or package, largest first; and the span's length in µs. */
export function attribute(
  profile: CpuProfile,
  options: AttributionOptions,
): { rows: Attribution[]; spanMicros: number } {
  const from = profile.startTime + (options.fromSeconds ?? 0) * 1e6;
  const to =
    options.toSeconds === undefined ? profile.endTime : profile.startTime + options.toSeconds * 1e6;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => (at += delta));
  for (let i = 0; i < profile.samples.length; i++) {
    const start = times[i];
    const end = i + 1 < times.length ? times[i + 1] : profile.endTime;
    const micros = Math.min(end, to) - Math.max(start, from);
    const frame = frames.get(profile.samples[i]);
    if (micros > 0 && frame !== undefined) {
      const key = keyOf(frame, options.by);
      totals.set(key, (totals.get(key) ?? 0) + micros);
    }
  }
  const rows = [...totals]
    .map(([name, selfMicros]) => ({ name, selfMicros }))
    .sort((a, b) => b.selfMicros - a.selfMicros);
  return {
    rows,
    spanMicros: Math.max(0, Math.min(to, profile.endTime) - Math.max(from, profile.startTime)),
  };
}

/** The top `top` rows as a table: self ms, % of the span, and µs per event if events given. */
export function attributionTable(
  profile: CpuProfile,
  options: AttributionOptions,
  top: number,
): string {
  const { rows, spanMicros } = attribute(profile, options);
  const events = options.events ?? 0;
  const header = [options.by, 'self ms', '% of span', ...(events > 0 ? ['µs per event'] : [])];
  const line = (name: string, micros: number) => [
    name,
    (micros / 1000).toFixed(0),
    ((100 * micros) / Math.max(1, spanMicros)).toFixed(1),
    // Idle time is not spent on events.
    ...(events > 0 ? [name === IDLE ? '' : (micros / events).toFixed(3)] : []),
  ];
  const shown = rows.slice(0, top).map((row) => line(row.name, row.selfMicros));
  const rest = rows.slice(top).reduce((sum, row) => sum + row.selfMicros, 0);
  const busy = rows
    .filter((row) => row.name !== IDLE)
    .reduce((sum, row) => sum + row.selfMicros, 0);
  return [
    table(header, [
      ...shown,
      ...(rest > 0 ? [line(`(${rows.length - top} more)`, rest)] : []),
      line(`all but ${IDLE}`, busy),
    ]),
    `  span ${(spanMicros / 1e6).toFixed(1)} s` + (events > 0 ? `, ${events} events` : ''),
  ].join('\n');
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/** The one profile a process wrote into `dir`. */
export function profileIn(dir: string): string | undefined {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  return file === undefined ? undefined : `${dir}/${file}`;
}
