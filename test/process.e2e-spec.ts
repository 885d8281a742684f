import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

  it('ends open streams and exits promptly on SIGTERM', async () => {
    const child = startProcess({ PORT: '0', TICKS_PER_SECOND: '500' });
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
    try {
      const stream = await openRawStream(`${url}/api/stream?symbols=AAPL,MSFT`);
      await stream.waitForText(/event: tick/);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await stream.ended;
      // Nest closes the app, then re-raises the signal so the exit status says why it stopped.
      const { code, signal } = await exit;
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(Date.now() - signalledAt).toBeLessThan(3_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
