import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect } from 'node:net';
import { busy, BUSY_TOKEN } from './support/busy-request.js';
import { openRawStream } from './support/raw-stream.js';

/** The built server as `npm start` runs it (npm test builds it first). */
function startProcess(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: 'pipe',
  });
}

function exited(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
}

describe('the server process', () => {
  it('refuses a bad configuration with a clear message and exit code 1', async () => {
    const { code, output } = await exited(startProcess({ PORT: 'eighty', TICKS_PER_SECOND: '-5' }));
    expect(code).toBe(1);
    expect(output).toContain('PORT="eighty"');
    expect(output).toContain('TICKS_PER_SECOND="-5"');
  });

  /** Starts the process and resolves with its URL once it listens. */
  async function listening(env: Record<string, string>): Promise<{
    child: ChildProcessWithoutNullStreams;
    url: string;
    exit: ReturnType<typeof exited>;
  }> {
    const child = startProcess({ PORT: '0', ...env });
    const exit = exited(child);
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on http:\/\/[^\s:]+:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${match[1]}`);
        }
      });
      const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15_000);
    });
    return { child, url, exit };
  }

  it('drains on SIGTERM: stops accepting, ends open streams on a whole frame, exits promptly', async () => {
    const { child, url, exit } = await listening({
      TICKS_PER_SECOND: '500',
      SHUTDOWN_GRACE_MS: '4000',
    });
    try {
      const streams = await Promise.all(
        ['AAPL,MSFT', 'NVDA'].map((symbols) =>
          openRawStream(`${url}/api/stream?symbols=${symbols}`),
        ),
      );
      await Promise.all(streams.map((stream) => stream.waitForText(/event: tick/)));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await Promise.all(streams.map((stream) => stream.ended));
      for (const stream of streams) {
        expect(stream.text()).toMatch(/\n\n$/);
      }
      await expect(fetch(`${url}/api/symbols`)).rejects.toThrow();
      // The app closes, then the signal is re-raised so the exit status says why it stopped.
      const { code, signal, output } = await exit;
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(output).toContain('SIGTERM: draining');
      // Nothing held it: far sooner than the grace period.
      expect(Date.now() - signalledAt).toBeLessThan(2_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('cuts connections that outstay half of SHUTDOWN_GRACE_MS and still exits within it', async () => {
    const { child, url, exit } = await listening({
      SHUTDOWN_GRACE_MS: '1200',
      INGEST_TOKEN: BUSY_TOKEN,
    });
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    try {
      await busy(socket);
      const cut = new Promise((resolve) => socket.once('close', resolve));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await cut;
      const { signal, output } = await exit;
      const took = Date.now() - signalledAt;
      expect(signal).toBe('SIGTERM');
      expect(output).toContain('connections still open halfway through SHUTDOWN_GRACE_MS');
      expect(took).toBeGreaterThanOrEqual(600);
      expect(took).toBeLessThan(1_200);
    } finally {
      socket.destroy();
      child.kill('SIGKILL');
    }
  });
});
