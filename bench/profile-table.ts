// npm run profile-table -- <file.cpuprofile> [--by function|file|package] [--top 25]
//                           [--from 12.5 --to 32.5] [--events 1200000]
// Where a process's CPU went, from a V8 CPU profile (`node --cpu-prof`, or `npm run bench --
// --profile`): self time summed by function, file or package, largest first, optionally cut to
// a span of seconds from the profile's start and divided by the events of that span.
import { parseArgs } from 'node:util';
import { attributionTable, readProfile, type Grouping } from './cpu-profile.js';

const GROUPINGS: readonly Grouping[] = ['function', 'file', 'package'];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    by: { type: 'string', default: 'function' },
    top: { type: 'string', default: '25' },
    from: { type: 'string' },
    to: { type: 'string' },
    events: { type: 'string' },
  },
});
const by = GROUPINGS.find((grouping) => grouping === values.by);
const file = positionals[0];
if (file === undefined || by === undefined) {
  console.error(`profile-table: <file.cpuprofile> [--by ${GROUPINGS.join('|')}] [--top N] ...`);
  process.exit(2);
}
const seconds = (value: string | undefined) => (value === undefined ? undefined : Number(value));
console.log(
  attributionTable(
    readProfile(file),
    {
      by,
      fromSeconds: seconds(values.from),
      toSeconds: seconds(values.to),
      events: seconds(values.events),
    },
    Number(values.top),
  ),
);
