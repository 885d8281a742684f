import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamEvent } from '@tickstream/client';
import { startCommand, type Command } from './support/command.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

/** The command as the client package declares it (npm test builds it first). */
const PACKAGE_DIR = 'client/sdk';
const { bin } = JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8')) as {
  bin: { tickstream: string };
};

function tickstream(args: string[], env: Record<string, string> = {}): Command {
  return startCommand(process.execPath, [`${PACKAGE_DIR}/${bin.tickstream}`, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

const USAGE = 'Usage: tickstream tail SYMBOLS';

describe('the tickstream command', () => {
  let server: TestServer | undefined;
  const runs: Command[] = [];
  const start = (...args: string[]) => startWith({}, ...args);
  const startWith = (env: Record<string, string>, ...args: string[]) => {
    const run = tickstream(args, env);
    runs.push(run);
    return run;
  };

  afterEach(async () => {
    await Promise.all(runs.splice(0).map((run) => run.kill()));
    await server?.close();
    server = undefined;
  });

  it('prints an aligned table of the asked symbols only, until Ctrl-C', async () => {
    server = await startServer();
    const run = start('tail', 'AAPL,msft', '--throttle', '100', '--url', server.url);
    await eventually(() => run.lines().length >= 12, 10_000, 'a dozen rows');
    run.interrupt();
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
    run.interrupt();
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
    run.interrupt();
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

  it('takes the server from TICKSTREAM_URL, and from --url over it', async () => {
    server = await startServer();
    const stopped = await startServer();
    await stopped.close();
    const fromEnv = startWith({ TICKSTREAM_URL: server.url }, 'tail', 'AAPL', '--json');
    await eventually(
      () => fromEnv.lines().some((line) => line.includes('"tick"')),
      10_000,
      'a tick',
    );
    fromEnv.interrupt();
    expect(await fromEnv.exited).toBe(0);

    const flagWins = startWith(
      { TICKSTREAM_URL: server.url },
      'tail',
      'AAPL',
      '--url',
      stopped.url,
    );
    expect(await flagWins.exited).toBe(1);
    expect(flagWins.stderr).toMatch(new RegExp(`^tickstream: cannot stream from ${stopped.url}: `));
  });

  it("prints a server's message on one line, without its control characters", async () => {
    const hostile = createServer((_, response) => {
      response.writeHead(400, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: 'symbols: bad\n\u001b[31mred\u0007' }));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hostile.address() as AddressInfo;
      const run = start('tail', 'AAPL', '--url', `http://127.0.0.1:${port}`);
      expect(await run.exited).toBe(1);
      expect(run.stderr).toBe('tickstream: symbols: bad [31mred \n');
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
  });

  it('exits 2 saying in one line what is wrong with a bad command line', async () => {
    for (const [args, env, message] of [
      [['tail'], {}, 'no symbols given'],
      [['watch', 'AAPL'], {}, 'unknown command "watch"'],
      [[], {}, 'no command given'],
      [
        ['tail', 'AAPL', '--throttle', 'fast'],
        {},
        '--throttle must be a whole number of milliseconds from 0 to 60000, got "fast"',
      ],
      [
        ['tail', 'AAPL', '--throttle', '60001'],
        {},
        '--throttle must be a whole number of milliseconds from 0 to 60000, got "60001"',
      ],
      [
        ['tail', 'AAPL', '--url', 'localhost:3000'],
        {},
        '--url must be a URL such as http://localhost:3000, got "localhost:3000"',
      ],
      [
        ['tail', 'AAPL'],
        { TICKSTREAM_URL: 'ftp://host' },
        'TICKSTREAM_URL must be a URL such as http://localhost:3000, got "ftp://host"',
      ],
      [['tail', 'AAPL', '--frobnicate'], {}, "Unknown option '--frobnicate'"],
    ] as const) {
      const run = startWith(env, ...args);
      expect(await run.exited).toBe(2);
      expect(run.stderr).toMatch(/^tickstream: [^\n]+ \(tickstream --help shows the usage\)\n$/);
      expect(run.stderr).toContain(message);
    }
    const help = start('--help');
    expect(await help.exited).toBe(0);
    expect(help.stdout).toContain(USAGE);
  });

  it('runs as `npx tickstream` in this repository, as the README says', async () => {
    const run = startCommand('npx', ['tickstream', '--help'], {
      // npx would fetch whatever the registry calls `tickstream` if the workspace's bin were
      // not linked: this makes it fail instead.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', npm_config_yes: 'false' },
    });
    runs.push(run);
    expect(await run.exited).toBe(0);
    expect(run.stdout).toContain(USAGE);
  });
});
