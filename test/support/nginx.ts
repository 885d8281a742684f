import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Runs deploy/nginx/tickstream.conf on this machine, as docs/deploy.md does. */
const RUN_LOCAL = 'deploy/nginx/run-local.sh';

export interface LocalNginx {
  /** `https://127.0.0.1:<port>`: TLS with HTTP/2 and HTTP/1.1. */
  url: string;
  /** The plain-HTTP server, which redirects. */
  httpUrl: string;
  /** The internal server, for POST /api/ticks. */
  internalUrl: string;
  /** The self-signed certificate's PEM, for clients to trust. */
  ca: string;
  /** What nginx and the script wrote to stderr so far. */
  errors(): string;
  close(): Promise<void>;
}

export interface NginxOptions {
  /** Replaces the stream location's proxy_read_timeout, e.g. `2s`. */
  streamReadTimeout?: string;
}

/** nginx in front of `instances` (their `http://host:port` URLs), once it accepts connections. */
export async function startNginx(
  instances: string[],
  { streamReadTimeout }: NginxOptions = {},
): Promise<LocalNginx> {
  const child = spawn(
    RUN_LOCAL,
    instances.map((url) => new URL(url).host),
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...(streamReadTimeout === undefined ? {} : { STREAM_READ_TIMEOUT: streamReadTimeout }),
      },
      stdio: 'pipe',
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stdout = await ready(child, () => stderr);
  const find = (pattern: RegExp): string => {
    const match = pattern.exec(stdout);
    if (!match) {
      throw new Error(`${RUN_LOCAL} did not say ${String(pattern)}: ${stdout}`);
    }
    return match[1];
  };
  return {
    url: find(/ready: (https:\/\/127\.0\.0\.1:\d+)/),
    httpUrl: find(/plain http: (http:\/\/127\.0\.0\.1:\d+)/),
    internalUrl: find(/internal: (http:\/\/127\.0\.0\.1:\d+)/),
    ca: await readFile(find(/certificate: (\S+)/), 'utf8'),
    errors: () => stderr,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves with the script's output once it says where nginx listens. */
function ready(child: ChildProcessWithoutNullStreams, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`nginx did not start: ${stdout}${stderr()}`));
    }, 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('instances:')) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${RUN_LOCAL} exited with ${code}: ${stdout}${stderr()}`));
    });
  });
}
