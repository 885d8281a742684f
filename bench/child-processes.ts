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

/** The next message of `type` from a forked worker; rejects if the worker exits first. */
export function nextMessage<M extends { type: string }, T extends M['type']>(
  worker: ChildProcess,
  type: T,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: M) => {
      if (message.type === type) {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(message as Extract<M, { type: T }>);
      }
    };
    const onExit = (code: number | null) => {
      worker.off('message', onMessage);
      reject(new Error(`a worker exited with ${code} while the runner waited for "${type}"`));
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  });
}

/** Sends `message` to a forked worker, ignoring one that has already gone. */
export function tell<M extends object>(worker: ChildProcess, message: M): void {
  if (worker.connected) {
    worker.send(message);
  }
}
