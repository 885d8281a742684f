import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { symbolsSetting, type Market } from './market.js';
import { nchanConfig, NGINX } from './nchan-config.js';
import { ServerProcess } from './server-process.js';

/** tickstream, and the baselines it is measured against in the same run. */
export type ServerKind = 'tickstream' | 'plain' | 'batched' | 'nchan';
export const SERVER_KINDS: readonly ServerKind[] = ['tickstream', 'plain', 'batched', 'nchan'];
export type BaselineKind = Exclude<ServerKind, 'tickstream'>;
export const BASELINES: readonly BaselineKind[] = ['plain', 'batched', 'nchan'];

const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const TICKSTREAM = script('../../dist/main.js');
const BASELINE = script('./baseline-server.js');
const NCHAN_PUBLISHER = script('./nchan-publisher.js');
/** Every server of a run gets the same market seed. */
const FEED_SEED = '6';
const PUBLISHER_READY_MS = 40_000;

export interface ServerOptions {
  kind: ServerKind;
  market: Market;
  port: number;
  heartbeatMs: number;
  /** A folder of this run's own: logs, nginx's files. */
  dir: string;
  /** The most streams the run opens. */
  connections: number;
  /** tickstream only: more of its settings (these win over the market's). */
  settings?: Record<string, string>;
  /** tickstream only: write a V8 CPU profile into this folder when it exits. */
  cpuProfileDir?: string;
  /** nchan only: nginx's worker processes. */
  nchanWorkers?: number;
}

/** A server under test: one process, or (nchan) nginx's master and workers and a feed. */
export interface RunningServer {
  kind: ServerKind;
  /** The processes whose CPU and memory are the server's, read afresh each time. */
  pids(): number[];
  /** Resolves with how the server (or its feed) ended. */
  exited: Promise<string>;
  logTail(): string;
  stop(): Promise<void>;
}

function marketEnv(options: ServerOptions): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    PORT: String(options.port),
    SYMBOLS: symbolsSetting(options.market),
    TICKS_PER_SECOND: String(options.market.ticksPerSecond),
    FEED_SEED,
    HEARTBEAT_MS: String(options.heartbeatMs),
    NO_COLOR: '1',
  };
}

/** A Node server in one process. */
function nodeServer(
  options: ServerOptions,
  scriptPath: string,
  env: Record<string, string | undefined>,
): RunningServer {
  const flags =
    options.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const server = new ServerProcess({
    command: process.execPath,
    args: [...flags, scriptPath],
    env,
    logFile: `${options.dir}/${options.kind}.log`,
  });
  return {
    kind: options.kind,
    pids: () => [server.pid],
    exited: server.exited,
    logTail: () => server.logTail(),
    stop: () => server.stop(),
  };
}

/** The children of `pid` (nginx's workers), from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((field) => field.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

async function nchanServer(options: ServerOptions): Promise<RunningServer> {
  const dir = `${options.dir}/nginx`;
  mkdirSync(dir, { recursive: true });
  const conf = `${dir}/nginx.conf`;
  writeFileSync(conf, nchanConfig({ ...options, dir, workers: options.nchanWorkers ?? 1 }));
  const nginx = new ServerProcess({
    command: NGINX,
    args: ['-c', conf, '-p', `${dir}/`, '-g', 'daemon off;'],
    env: { PATH: process.env.PATH },
    logFile: `${options.dir}/nchan.log`,
  });
  const publisher = new ServerProcess({
    command: NCHAN_PUBLISHER,
    args: ['--experimental-websocket', '--no-warnings'],
    env: marketEnv(options),
    logFile: `${options.dir}/nchan-publisher.log`,
    fork: true,
  });
  const stop = async () => {
    await publisher.stop();
    await nginx.stop();
  };
  const exited = Promise.race([
    nginx.exited.then((how) => `nginx ${how}`),
    publisher.exited.then((how) => `its publisher ${how}`),
  ]);
  const logTail = () =>
    `${nginx.logTail()}\n${readErrorLog(dir)}\npublisher:\n${publisher.logTail()}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => publisher.child.once('message', () => resolve())),
      exited.then((how): never => {
        throw new Error(`nchan: ${how} while starting:\n${logTail()}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`nchan: no publisher after ${PUBLISHER_READY_MS} ms`)),
          PUBLISHER_READY_MS,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    kind: 'nchan',
    pids: () => [nginx.pid, ...childrenOf(nginx.pid)],
    exited,
    logTail,
    stop,
  };
}

function readErrorLog(dir: string): string {
  try {
    return readFileSync(`${dir}/error.log`, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '';
  }
}

/** Starts one server; it may still be starting up when this returns (but nchan's feed runs). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  switch (options.kind) {
    case 'tickstream':
      return nodeServer(options, TICKSTREAM, {
        ...marketEnv(options),
        // 0 = no limit: every connection of the fan-out scenarios comes from 127.0.0.1.
        MAX_CONNECTIONS: '0',
        MAX_CONNECTIONS_PER_CLIENT: '0',
        ...options.settings,
      });
    case 'plain':
      return nodeServer(options, BASELINE, { ...marketEnv(options), WRITES: 'tick' });
    case 'batched':
      return nodeServer(options, BASELINE, { ...marketEnv(options), WRITES: 'batch' });
    case 'nchan':
      return nchanServer(options);
  }
}
