import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Remembers a child, until it exits, so that the runner never leaves one behind. */
export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Kills every child still running, each by its own pid. */
export function killChildren(): void {
  for (const child of running) {
    child.kill('SIGKILL');
  }
  running.clear();
}

/** Resolves once `child` has exited; kills it if it has not within `ms`. */
export async function exited(child: ChildProcess, ms = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
}
