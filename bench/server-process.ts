import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { track } from './child-processes.js';
import type { Market } from './scenarios.js';

export type ServerKind = 'tickstream' | 'baseline';
export const SERVER_KINDS: readonly ServerKind[] = ['tickstream', 'baseline'];

const SCRIPTS: Record<ServerKind, string> = {
  tickstream: fileURLToPath(new URL('../../dist/main.js', import.meta.url)),
  baseline: fileURLToPath(new URL('./baseline-server.js', import.meta.url)),
};
const FEED_SEED = '6';
/** SIGTERM first; a server still running this much later is killed. */
const STOP_GRACE_MS = 15_000;

export interface ServerOptions {
  kind: ServerKind;
  market: Market;
  port: number;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  /** Tickstream only: write a V8 CPU profile into this folder when it exits. */
  cpuProfileDir?: string;
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

/** One server under test, in its own process. */
export class ServerProcess {
  private readonly child: ChildProcess;
  /** Resolves with a description of how the process ended. */
  readonly exited: Promise<string>;
  private exitedYet = false;

  constructor(private readonly options: ServerOptions) {
    const log = openSync(options.logFile, 'w');
    const flags =
      options.kind === 'tickstream' && options.cpuProfileDir !== undefined
        ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
        : [];
    this.child = track(
      spawn(process.execPath, [...flags, SCRIPTS[options.kind]], {
        stdio: ['ignore', log, log],
        // Only what the market needs, so that variables of the caller's shell (BUS, STREAM_AUTH,
        // ...) cannot change what is measured.
        env: {
          PATH: process.env.PATH,
          PORT: String(options.port),
          SYMBOLS: options.market.symbols,
          TICKS_PER_SECOND: String(options.market.ticksPerSecond),
          FEED_SEED,
          // 0 = no limit: every connection of the benchmark comes from 127.0.0.1.
          MAX_CONNECTIONS: '0',
          MAX_CONNECTIONS_PER_CLIENT: '0',
          // Plain text in the log files.
          NO_COLOR: '1',
        },
      }),
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
      throw new Error(`${this.options.kind} has no pid: ${this.logTail()}`);
    }
    return this.child.pid;
  }

  /** The last lines the server wrote, to say why it failed. */
  logTail(lines = 15): string {
    const text = readFileSync(this.options.logFile, 'utf8').trimEnd();
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
