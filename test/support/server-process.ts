import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Everything the process wrote to stdout and stderr. */
  output: string;
}

/** The built server as `npm start` runs it (npm test builds it first), with only `env` set. */
export function startProcess(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: 'pipe',
  });
}

/** Resolves when `child` exits, with what it wrote. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<Exit> {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
}

export interface ListeningProcess {
  child: ChildProcessWithoutNullStreams;
  /** Where it listens, as its log says; 127.0.0.1 when it listens on every interface. */
  url: string;
  /** The address and port the log names, as written. */
  listeningOn: string;
  exit: Promise<Exit>;
}

const LISTENING = /listening on http:\/\/(\[[^\]\s]+\]|[^\s:/]+):(\d+)/;
const EVERY_INTERFACE = new Set(['[::]', '0.0.0.0']);

/** Starts the process and resolves once its log says where it listens. */
export async function listening(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<ListeningProcess> {
  const child = startProcess({ PORT: '0', ...env });
  const exit = exited(child);
  const [host, port] = await new Promise<[string, string]>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve([match[1], match[2]]);
      }
    });
    void exit.then(({ output: all }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening: ${all}`));
    });
  });
  const reachable = EVERY_INTERFACE.has(host) ? '127.0.0.1' : host;
  return { child, url: `http://${reachable}:${port}`, listeningOn: `${host}:${port}`, exit };
}
