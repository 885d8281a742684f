import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { track } from './child-processes.js';

/** SIGTERM first; a process still running this much later is killed. */
const STOP_GRACE_MS = 15_000;

export interface ProcessSpec {
  /** A program, or (with `fork`) a Node script run by this Node with `args` as its flags. */
  command: string;
  args: string[];
  /** The whole environment: nothing of the caller's shell leaks into what is measured. */
  env: Record<string, string | undefined>;
  /** Where stdout and stderr go. */
  logFile: string;
  /** Fork a Node script with an IPC channel. */
  fork?: boolean;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** One process of a server under test (or of its feed). */
export class ServerProcess {
  readonly child: ChildProcess;
  /** Resolves with a description of how the process ended. */
  readonly exited: Promise<string>;
  private exitedYet = false;

  constructor(private readonly spec: ProcessSpec) {
    const log = openSync(spec.logFile, 'w');
    this.child = track(
      spec.fork === true
        ? fork(spec.command, [], {
            execArgv: spec.args,
            env: spec.env,
            stdio: ['ignore', log, log, 'ipc'],
          })
        : spawn(spec.command, spec.args, { env: spec.env, stdio: ['ignore', log, log] }),
    );
    closeSync(log);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exitedYet = true;
        resolve(`could not start: ${error.message}`);
      });
      this.child.once('exit', (code, signal) => {
        this.exitedYet = true;
        resolve(signal !== null ? `killed by ${signal}` : `exited with ${code}`);
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) {
      throw new Error(`${this.spec.command} has no pid: ${this.logTail()}`);
    }
    return this.child.pid;
  }

  /** The last lines the process wrote, to say why it failed. */
  logTail(lines = 15): string {
    const text = readFileSync(this.spec.logFile, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(no output)';
  }

  /** SIGTERM, then SIGKILL if it is still there after STOP_GRACE_MS. */
  async stop(): Promise<void> {
    if (this.exitedYet) {
      return;
    }
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
