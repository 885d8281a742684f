import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A server's CPU time so far (all its processes and threads, user + system) and memory. */
export interface ProcSample {
  cpuSeconds: number;
  /**
   * One process: its resident set (VmRSS). Several (nginx's master and workers): the sum of
   * their proportional sets (Pss), so that memory they share is counted once.
   */
  memoryBytes: number;
}

function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function kilobytes(file: string, field: string): number {
  const text = readFileSync(file, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
}

/** Reads /proc for `pids`; throws if one of them is gone. */
export function sampleProcesses(pids: readonly number[]): ProcSample {
  const cpuSeconds = pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  const kb =
    pids.length === 1
      ? kilobytes(`/proc/${pids[0]}/status`, 'VmRSS')
      : pids.reduce((sum, pid) => sum + kilobytes(`/proc/${pid}/smaps_rollup`, 'Pss'), 0);
  return { cpuSeconds, memoryBytes: kb * 1024 };
}
