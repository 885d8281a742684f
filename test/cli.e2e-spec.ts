import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { StreamEvent } from '@tickstream/client';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

/** The command as the client package declares it (npm test builds it first). */
const PACKAGE_DIR = 'client/sdk';
const { bin } = JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8')) as {
  bin: { tickstream: string };
};

interface Run {
  stdout: string;
  stderr: string;
  /** Complete lines written to stdout so far. */
  lines(): string[];
  exited: Promise<number | null>;
  child: ChildProcess;
}

function tickstream(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [`${PACKAGE_DIR}/${bin.tickstream}`, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {
    stdout: '',
    stderr: '',
    lines: () => run.stdout.split('\n').slice(0, -1),
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    child,
  };
  child.stdout?.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

const USAGE = 'Usage: tickstream tail SYMBOLS';

describe('the tickstream command', () => {
  let server: TestServer | undefined;
  const runs: Run[] = [];
  const start = (...args: string[]) => startWith({}, ...args);
  const startWith = (env: Record<string, string>, ...args: string[]) => {
    const run = tickstream(args, env);
    runs.push(run);
    return run;
  };

  afterEach(async () => {
    for (const { child, exited } of runs.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      await exited;
    }
    await server?.close();
    server = undefined;
  });

  it('prints an aligned table of the asked symbols only, until Ctrl-C', async () => {
    server = await startServer();
    const run = start('tail', 'AAPL,msft', '--throttle', '100', '--url', server.url);
    await eventually(() => run.lines().length >= 12, 10_000, 'a dozen rows');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);

    const [header, ...rows] = run.lines();
    expect(header).toMatch(/^TIME +SYMBOL +PRICE +BID +ASK +SIZE$/);
    const symbols = rows.map((row) => {
      const match =
        /^\d\d:\d\d:\d\d\.\d{3} (\S+) +(\d+\.\d{2,}) +(\d+\.\d{2,}) +(\d+\.\d{2,}) +\d+$/.exec(row);
      expect(match).not.toBeNull();
      return match?.[1];
    });
    expect(new Set(symbols)).toEqual(new Set(['AAPL', 'MSFT']));
    expect(rows.every((row) => row.length === header.length)).toBe(true);
    expect(run.stderr).toBe('');
    await eventually(() => server?.bus.subscriberCount === 0, 5_000, 'the stream to close');
  });

  it('prints the events as NDJSON with --json', async () => {
    server = await startServer();
    const run = start('tail', 'NVDA', '--json', '--url', server.url);
    await eventually(() => run.lines().length >= 10, 10_000, 'ten lines');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);

    const events = run.lines().map((line) => JSON.parse(line) as StreamEvent);
    expect(events[0]).toEqual({ type: 'open', resumed: false });
    expect(events[1]).toMatchObject({ type: 'snapshot', quotes: [{ symbol: 'NVDA' }] });
    const ticks = events.slice(2);
    expect(ticks.every((event) => event.type === 'tick' && event.quote.symbol === 'NVDA')).toBe(
      true,
    );
  });

  it('streams from a server that needs a token with TICKSTREAM_TOKEN, and exits 1 without it', async () => {
    server = await startServer(JWT_SERVER);
    const denied = start('tail', 'AAPL', '--url', server.url);
    expect(await denied.exited).toBe(1);
    expect(denied.stderr).toContain('a token is required');

    const valid = await token({ symbols: ['AAPL'] });
    const run = startWith(
      { TICKSTREAM_TOKEN: valid },
      'tail',
      'AAPL',
      '--json',
      '--url',
      server.url,
    );
    await eventually(() => run.lines().some((line) => line.includes('"tick"')), 10_000, 'a tick');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it("exits 1 with the server's message for an unknown symbol", async () => {
    server = await startServer();
    const run = start('tail', 'AAPL,NOPE', '--url', server.url);
    expect(await run.exited).toBe(1);
    expect(run.stderr).toBe('tickstream: symbols: unknown symbol "NOPE"\n');
    expect(run.stdout).toBe('');
  });

  it('exits 1 saying why when the server is down', async () => {
    const stopped = await startServer();
    await stopped.close();
    const run = start('tail', 'AAPL', '--url', stopped.url);
    expect(await run.exited).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^tickstream: cannot stream from ${stopped.url}: .*ECONNREFUSED.*\n$`),
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 with the usage for a bad command line', async () => {
    for (const args of [
      ['tail'],
      ['watch', 'AAPL'],
      ['tail', 'AAPL', '--throttle', 'fast'],
      ['tail', 'AAPL', '--url', 'localhost:3000'],
      ['tail', 'AAPL', '--frobnicate'],
    ]) {
      const run = start(...args);
      expect(await run.exited).toBe(2);
      expect(run.stderr).toMatch(/^tickstream: .+\n/);
      expect(run.stderr).toContain(USAGE);
    }
    const help = start('--help');
    expect(await help.exited).toBe(0);
    expect(help.stdout).toContain(USAGE);
  });
});
