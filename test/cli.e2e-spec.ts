import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamEvent } from '@tickstream/client';
import type { Candle, SymbolInfo } from '@tickstream/client/contract';
import { startCommand, type Command } from './support/command.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';
import { setStatus, STATUS_TOKEN } from './support/trading-status.js';

/** The command as the client package declares it (npm test builds it first). */
const PACKAGE_DIR = 'client/sdk';
const { bin } = JSON.parse(readFileSync(`${PACKAGE_DIR}/package.json`, 'utf8')) as {
  bin: { tickstream: string };
};

function tickstream(
  args: string[],
  env: Record<string, string> = {},
  stdin: 'pipe' | 'ignore' = 'ignore',
): Command {
  return startCommand(process.execPath, [`${PACKAGE_DIR}/${bin.tickstream}`, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdin,
  });
}

const USAGE = 'Usage: tickstream tail SYMBOLS';
const PRICE = String.raw`\d+\.\d{2,}`;
const TIME = String.raw`\d\d:\d\d:\d\d\.\d{3}`;
/** A bar row: its start, symbol, interval, OHLC, volume and, once closed, "final". */
const BAR_ROW = new RegExp(
  String.raw`^(\d\d:\d\d:\d\d) +(\S+) +(1s|1m) +${`(${PRICE}) +`.repeat(4)}(\d+)( final)?$`,
);
/**
 * A quote row: its time, symbol, price, bid, ask, size, change and change % from the previous
 * close ("-" while unknown), and the session's volume, high and low.
 */
const QUOTE_ROW = new RegExp(
  String.raw`^${TIME} (\S+) +(${PRICE}) +${PRICE} +${PRICE} +\d+ +([+-]?\d+\.\d{2}|-) +` +
    String.raw`([+-]?\d+\.\d{2}%|-) +(\d+) +(${PRICE}|-) +(${PRICE}|-)$`,
);
const QUOTE_HEADER = /^TIME +SYMBOL +PRICE +BID +ASK +SIZE +CHG +CHG% +VOLUME +HIGH +LOW$/;

const parseJsonLines = (run: Command) => run.lines().map((line) => JSON.parse(line) as StreamEvent);

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
    expect(header).toMatch(QUOTE_HEADER);
    const closes = new Map(
      ((await (await fetch(`${server.url}/api/symbols`)).json()) as SymbolInfo[]).map(
        ({ symbol, day }) => [symbol, day.previousClose ?? NaN],
      ),
    );
    const symbols = rows.map((row) => {
      const match = QUOTE_ROW.exec(row);
      expect(match).not.toBeNull();
      const [, symbol = '', price = '', change = ''] = match ?? [];
      // The change is from the previous close, which the simulated market's day keeps.
      const close = closes.get(symbol) ?? NaN;
      expect(Number(change)).toBeCloseTo(Number(price) - close, 2);
      return symbol;
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

  it('prints bars with --bars: a row each time one changes, and once more, final, when it closes', async () => {
    server = await startServer({ TICKS_PER_SECOND: '200' });
    const run = start('tail', 'AAPL,MSFT', '--bars', '1s', '--url', server.url);
    const finals = () => run.lines().filter((line) => line.endsWith(' final'));
    await eventually(() => finals().length >= 6, 10_000, 'six final bars');
    run.interrupt();
    expect(await run.exited).toBe(0);

    const [header, ...rows] = run.lines();
    expect(header).toMatch(/^TIME +SYMBOL +BAR +OPEN +HIGH +LOW +CLOSE +VOLUME$/);
    const bars = rows.map((row) => {
      const match = BAR_ROW.exec(row);
      expect(match).not.toBeNull();
      const [, time = '', symbol = '', , , , , , volume = '', final] = match ?? [];
      expect(row.length).toBe(header.length + (final ? ' final'.length : 0));
      return { row, time, symbol, volume: Number(volume), final: final !== undefined };
    });
    expect(new Set(bars.map((bar) => bar.symbol))).toEqual(new Set(['AAPL', 'MSFT']));
    // Every tick is sent (throttle 0): a bar closes as it last changed, having only grown.
    for (const symbol of ['AAPL', 'MSFT']) {
      const own = bars.filter((bar) => bar.symbol === symbol);
      const closed = own.filter((bar) => bar.final);
      expect(closed.length).toBeGreaterThanOrEqual(2);
      for (const final of closed.slice(1)) {
        const before = own.slice(0, own.indexOf(final)).filter((bar) => bar.time === final.time);
        expect(before.length).toBeGreaterThan(0);
        expect(before.at(-1)?.row).toBe(final.row.slice(0, -' final'.length));
        const volumes = before.map((bar) => bar.volume);
        expect(volumes).toEqual([...volumes].sort((a, b) => a - b));
      }
    }
    expect(run.stderr).toBe('');
  });

  it('prints only closed bars with --final, each as the server keeps it', async () => {
    server = await startServer({ TICKS_PER_SECOND: '200' });
    const run = start('tail', 'AAPL,MSFT', '--bars', '1s', '--final', '--url', server.url);
    await eventually(() => run.lines().length >= 7, 10_000, 'six closed bars');
    run.interrupt();
    expect(await run.exited).toBe(0);

    const [header, ...rows] = run.lines();
    expect(header).toMatch(/^TIME +SYMBOL +BAR +OPEN +HIGH +LOW +CLOSE +VOLUME$/);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const kept = new Map<string, Candle[]>();
    for (const symbol of ['AAPL', 'MSFT']) {
      const response = await fetch(`${server.url}/api/symbols/${symbol}/candles?interval=1s`);
      kept.set(symbol, (await response.json()) as Candle[]);
    }
    for (const row of rows) {
      const match = BAR_ROW.exec(row);
      expect(match).not.toBeNull();
      const [, time = '', symbol = '', , open, high, low, close, volume, final] = match ?? [];
      expect(final).toBe(' final');
      // The server's bar of that second, as the row prints it.
      const bar = kept
        .get(symbol)
        ?.find((each) => new Date(each.time * 1000).toTimeString().slice(0, 8) === time);
      expect(bar).toBeDefined();
      expect([open, high, low, close].map(Number)).toEqual([
        bar?.open,
        bar?.high,
        bar?.low,
        bar?.close,
      ]);
      expect(Number(volume)).toBe(bar?.volume);
    }
    expect(run.stderr).toBe('');
  });

  it('changes its symbols from lines on standard input, missing nothing of the others', async () => {
    server = await startServer({ FEED: 'none' });
    const run = tickstream(['tail', 'AAPL', '--json', '--url', server.url], {}, 'pipe');
    runs.push(run);
    const events = () => parseJsonLines(run);
    const opens = () => events().filter((event) => event.type === 'open').length;
    const ticks = () =>
      events().flatMap((event) => (event.type === 'tick' ? [event.quote.symbol] : []));
    await eventually(() => opens() === 1, 10_000, 'the stream to open');

    run.child.stdin?.write('+msft\n');
    await eventually(() => run.stderr.includes('streaming AAPL,MSFT'), 5_000, 'the note');
    // Published while the connection is replaced, or just after: either way it comes once.
    await server.publish('AAPL', 1);
    await eventually(() => opens() === 2, 10_000, 'the stream to resume');
    await server.publish('MSFT', 2);
    await eventually(() => ticks().length === 2, 10_000, 'both ticks');
    expect(ticks()).toEqual(['AAPL', 'MSFT']);

    run.child.stdin?.write('-AAPL\n');
    await eventually(() => opens() === 3, 10_000, 'the stream to resume again');
    await server.publish('AAPL', 3);
    await server.publish('MSFT', 4);
    await eventually(() => ticks().length === 3, 10_000, 'the MSFT tick');
    expect(ticks()).toEqual(['AAPL', 'MSFT', 'MSFT']);
    expect(events().filter((event) => event.type === 'open')).toEqual([
      { type: 'open', resumed: false },
      { type: 'open', resumed: true },
      { type: 'open', resumed: true },
    ]);
    run.interrupt();
    expect(await run.exited).toBe(0);
  });

  it('prints the bars as NDJSON events with --json, the same bars as the server keeps', async () => {
    server = await startServer();
    const run = start('tail', 'NVDA', '--bars', '1m', '--json', '--url', server.url);
    await eventually(() => run.lines().length >= 6, 10_000, 'six lines');
    run.interrupt();
    expect(await run.exited).toBe(0);

    const events = parseJsonLines(run);
    expect(events.slice(0, 4)).toMatchObject([
      { type: 'open', resumed: false },
      { type: 'snapshot', quotes: [{ symbol: 'NVDA', state: 'open' }] },
      { type: 'bar', bar: { symbol: 'NVDA', interval: '1m', final: true } },
      { type: 'bar', bar: { symbol: 'NVDA', interval: '1m', final: false } },
    ]);
    const closed = events[2].type === 'bar' ? events[2].bar : undefined;
    const response = await fetch(`${server.url}/api/symbols/NVDA/candles?interval=1m&limit=5`);
    const kept = ((await response.json()) as Candle[]).find((bar) => bar.time === closed?.time);
    expect(kept).toBeDefined();
    expect(closed).toEqual({ ...kept, symbol: 'NVDA', interval: '1m', final: true });
    expect(events.slice(2).every((event) => ['bar', 'tick'].includes(event.type))).toBe(true);
  });

  it('prints a line when a symbol is halted or opens again, and no quotes while it is halted', async () => {
    server = await startServer({ INGEST_TOKEN: STATUS_TOKEN, TICKS_PER_SECOND: '200' });
    await setStatus(server.url, 'AAPL', 'halted', 'news pending');
    const run = start('tail', 'AAPL,MSFT', '--url', server.url);
    const msftRows = () => run.lines().filter((line) => QUOTE_ROW.exec(line)?.[1] === 'MSFT');
    await eventually(() => msftRows().length >= 10, 10_000, 'quotes of MSFT');
    await setStatus(server.url, 'AAPL', 'open', 'news out');
    await eventually(
      () => run.lines().filter((line) => QUOTE_ROW.exec(line)?.[1] === 'AAPL').length >= 5,
      10_000,
      'quotes of AAPL once it opened',
    );
    run.interrupt();
    expect(await run.exited).toBe(0);

    const [header, ...rows] = run.lines();
    expect(header).toMatch(QUOTE_HEADER);
    // The snapshot: AAPL's last quote and its state with why (it halted before the command
    // started), then MSFT's quote.
    expect(rows[0]).toMatch(QUOTE_ROW);
    expect(rows[1]).toMatch(new RegExp(`^${TIME} AAPL   HALTED news pending$`));
    expect(QUOTE_ROW.exec(rows[2])?.[1]).toBe('MSFT');
    const opened = rows.findIndex((row) => / AAPL +OPEN news out$/.test(row));
    expect(opened).toBeGreaterThan(2);
    const symbolsOf = (some: string[]) => new Set(some.map((row) => QUOTE_ROW.exec(row)?.[1]));
    expect(symbolsOf(rows.slice(2, opened))).toEqual(new Set(['MSFT']));
    expect(symbolsOf(rows.slice(opened + 1))).toContain('AAPL');

    const json = start('tail', 'MSFT', '--json', '--url', server.url);
    await eventually(() => json.lines().length >= 3, 10_000, 'the snapshot and a tick');
    await setStatus(server.url, 'MSFT', 'closed');
    await eventually(
      () => json.lines().some((line) => line.includes('"status"')),
      10_000,
      'the status event',
    );
    json.interrupt();
    expect(await json.exited).toBe(0);
    const status = parseJsonLines(json).find((event) => event.type === 'status');
    expect(status).toMatchObject({
      type: 'status',
      id: expect.stringMatching(/^\d+-\d+$/) as string,
      status: { symbol: 'MSFT', state: 'closed', reason: null },
    });
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

  it('exits 1 saying so when the URL answers, but not with an event stream', async () => {
    const page = createServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>Not tickstream</title>\n\n<p>hello</p>\n\n');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = page.address() as AddressInfo;
      const run = start('tail', 'AAPL', '--url', `http://127.0.0.1:${port}`);
      expect(await run.exited).toBe(1);
      expect(run.stderr).toBe(
        `tickstream: http://127.0.0.1:${port}/api/stream answered HTTP 200 with Content-Type "text/html; charset=utf-8", not an event stream: is it a tickstream server?\n`,
      );
      expect(run.stdout).toBe('');
    } finally {
      await new Promise((resolve) => page.close(resolve));
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
      [
        ['tail', 'AAPL', '--bars', '2h'],
        {},
        '--bars must be one or more of 1s,1m,5m,15m,1h,1d, comma-separated, got "2h"',
      ],
      [
        ['tail', 'AAPL', '--bars', '1m,'],
        {},
        '--bars must be one or more of 1s,1m,5m,15m,1h,1d, comma-separated, got "1m,"',
      ],
      [['tail', 'AAPL', '--final'], {}, '--final needs --bars: only bars close'],
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
