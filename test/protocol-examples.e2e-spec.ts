import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subscribe, type StreamEvent } from '@tickstream/client';
import { compareEventIds } from '@tickstream/client/contract';
import { startCommand, type Command } from './support/command.js';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { eventually } from './support/sse-client.js';
import { streamRequests } from './support/stream-requests.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';
import { STATUS_TOKEN } from './support/trading-status.js';

/** Debian's Python 3, which .ci/run installs when it is missing. */
const PYTHON = '/usr/bin/python3';
const PATH = process.env.PATH ?? '';

/** The first block of `language` after `heading` in docs/protocol.md: what this test runs. */
function example(heading: string, language: string): string {
  const text = readFileSync('docs/protocol.md', 'utf8');
  const block = new RegExp('```' + language + '\n([^]*?)```').exec(
    text.slice(text.indexOf(heading)),
  );
  if (!block) {
    throw new Error(`docs/protocol.md has no ${language} block after "${heading}"`);
  }
  return block[1];
}

describe('the examples of docs/protocol.md, run as written', () => {
  const servers: TestServer[] = [];
  const commands: Command[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServer(env);
    servers.push(server);
    return server;
  };
  const run = (file: string, args: string[], env: Record<string, string>) => {
    const command = startCommand(file, args, { env: { PATH, ...env } });
    commands.push(command);
    return command;
  };

  afterEach(async () => {
    await Promise.all(commands.splice(0).map((command) => command.kill()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  describe('the Python client', () => {
    let dir: string;
    let script: string;
    const prefix = uniquePrefix('python');

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tickstream-python-'));
      script = join(dir, 'tail.py');
      await writeFile(script, example('### Python', 'python'));
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
      await dropPrefix(prefix);
    });

    it('resumes with Last-Event-ID across a cut connection and a restart of its server, losing and repeating no tick', async () => {
      const redis = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
      const edgeEnv = { ...redis, ROLE: 'edge', RETRY_MS: '100' };
      await start({ ...redis, ROLE: 'feed', TICKS_PER_SECOND: '200' });
      const control = (await start({ ...redis, ROLE: 'edge' })).connect('symbols=AAPL,MSFT');
      await control.waitFor((c) => c.of('snapshot').length === 1);
      let edge = await start(edgeEnv);
      const requests = streamRequests(edge);

      const python = run(PYTHON, [script, 'AAPL,MSFT'], { TICKSTREAM_URL: edge.url });
      const printed = (event: string) =>
        python
          .lines()
          .filter((line) => line.startsWith(`${event} `))
          .map((line) => line.split(' '));
      const tickIds = () => printed('tick').map(([, id]) => id);
      const ticksAfter = async (count: number, what: string) => {
        const target = tickIds().length + count;
        await eventually(() => tickIds().length >= target, 15_000, what);
      };
      await ticksAfter(20, 'ticks');

      // The connection is cut under the client, mid-stream.
      requests[0].socket.destroy();
      await ticksAfter(20, 'ticks after the cut');
      // The server restarts where its clients expect it, ending its streams as it shuts down;
      // ticks go on meanwhile, from the feed.
      await edge.close();
      servers.splice(servers.indexOf(edge), 1);
      edge = await start({ ...edgeEnv, PORT: new URL(edge.url).port });
      const afterRestart = streamRequests(edge);
      await ticksAfter(20, 'ticks after the restart');

      const ids = printed('tick').map(([, id]) => id);
      const resumedFrom = [requests[1], afterRestart[0]].map(
        (request) => request?.headers['last-event-id'],
      );
      const printedIds = python.lines().map((line) => line.split(' ')[1]);
      expect(resumedFrom.every((id) => typeof id === 'string' && printedIds.includes(id))).toBe(
        true,
      );
      const last = ids.at(-1) ?? '';
      await control.waitFor((c) => c.ticks().some((tick) => tick.id === last));
      const expected = control
        .ticks()
        .map((tick) => tick.id)
        .filter((id) => compareEventIds(id, ids[0]) >= 0 && compareEventIds(id, last) <= 0);
      expect(ids).toEqual(expected);
      expect(printed('tick').every(([, , symbol]) => ['AAPL', 'MSFT'].includes(symbol))).toBe(true);
      // Each says whether it was a trade (the simulated market's are).
      expect(printed('tick').every((fields) => fields[4] === 'trade')).toBe(true);
      // One snapshot, when it started: both resumes went on from the last id, without a reset.
      expect(printed('snapshot').map(([, , symbol]) => symbol)).toEqual(['AAPL', 'MSFT']);
      // Each with its change from the previous close and the day's figures.
      const number = String.raw`\d+(?:\.\d+)?`;
      const figures = new RegExp(
        String.raw`^snapshot \S+ (AAPL|MSFT) ${number} change [+-]${number}% from ${number} ` +
          String.raw`volume \d+ high ${number} low ${number} (open|halted|closed)(: .+)?$`,
      );
      const snapshotLines = python.lines().filter((line) => line.startsWith('snapshot '));
      expect(snapshotLines).toHaveLength(2);
      expect(snapshotLines.every((line) => figures.test(line))).toBe(true);
      expect(python.stderr).not.toContain('reset');
      expect(python.stderr).toMatch(/^reconnecting in \d+\.\d s: .+\n/);
    }, 60_000);

    it("exits 1 with the server's answer to a bad request, without retrying it", async () => {
      const server = await start({});
      const requests = streamRequests(server);
      const python = run(PYTHON, [script, 'AAPL,NOPE'], { TICKSTREAM_URL: server.url });
      expect(await python.exited).toBe(1);
      expect(python.stderr).toBe(
        'tickstream: HTTP 400 {"statusCode":400,"error":"Bad Request","message":"symbols: unknown symbol \\"NOPE\\"","field":"symbols","value":"NOPE"}\n',
      );
      expect(requests).toHaveLength(1);
    });
  });

  describe('the curl recipes', () => {
    /** Each recipe of the doc: the comment above it, and the command. */
    const recipes = new Map(
      [...example('### curl', 'sh').matchAll(/^# (.+)\n(curl .+)$/gm)].map(
        ([, comment, command]) => [comment, command],
      ),
    );
    /** What each recipe must show; a streaming one is stopped once it has. */
    const expectations: [
      string,
      { jwt?: boolean; ingest?: boolean; shows: RegExp; streams: boolean },
    ][] = [
      ['Live, every tick', { shows: /^event: snapshot\n[^]*\nevent: tick\n/, streams: true }],
      [
        'At most two updates a second per symbol, no snapshot',
        { shows: /^id: \d+-\d+\nretry: \d+\n\n[^]*event: tick\n/, streams: true },
      ],
      [
        'Resume from the last id received (one older than the history gets a reset and a snapshot)',
        { shows: /^event: reset\n[^]*\nevent: snapshot\n[^]*\nevent: tick\n/, streams: true },
      ],
      [
        'The same with NVDA for MSFT: NVDA opens with its snapshot, MSFT stops (or a reset, as above)',
        { shows: /^event: reset\n[^]*\nevent: snapshot\n[^]*\nevent: tick\n/, streams: true },
      ],
      [
        'Every event since 14:30 UTC, then live (a time older than the history gets a reset and a snapshot)',
        { shows: /^event: reset\n[^]*\nevent: snapshot\n[^]*\nevent: tick\n/, streams: true },
      ],
      [
        'With a token, from a server run with STREAM_AUTH=jwt',
        { jwt: true, shows: /^event: snapshot\n[^]*\nevent: tick\n/, streams: true },
      ],
      [
        'A refused request: the status, and the JSON body that names the field and the value',
        {
          shows:
            /^HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\n\{"statusCode":400,"error":"Bad Request","message":"symbols: unknown symbol \\"NOPE\\"","field":"symbols","value":"NOPE"\}$/,
          streams: false,
        },
      ],
      [
        'Bars of each second and each minute as well as quotes, at most one update a second per symbol',
        {
          shows:
            /^event: snapshot\n[^]*\nevent: bar\nid: \S+\ndata: \{"symbol":"AAPL","interval":"1s"[^]*\nevent: bar\nid: \S+\ndata: \{"symbol":"AAPL","interval":"1m"[^]*\nevent: tick\n/,
          streams: true,
        },
      ],
      [
        'Every symbol, those admitted later too, at most one update a second each',
        {
          shows: /^event: snapshot\n(?:[^\n]+\n)*data: [^\n]*"symbol":"ORCL"[^]*\nevent: tick\n/,
          streams: true,
        },
      ],
      [
        'A feed halts a symbol (the server runs with INGEST_TOKEN): its streams get an event: status',
        {
          ingest: true,
          shows: /^HTTP\/1\.1 202 Accepted\r\n[^]*\r\n\r\n\{"id":"\d+-\d+"\}$/,
          streams: false,
        },
      ],
    ];

    it('are the ones this test runs', () => {
      expect([...recipes.keys()]).toEqual(expectations.map(([comment]) => comment));
    });

    it.each(expectations)('%s', async (comment, { jwt, ingest, shows, streams }) => {
      const server = await start({
        ...(jwt ? JWT_SERVER : {}),
        ...(ingest ? { INGEST_TOKEN: STATUS_TOKEN } : {}),
      });
      // A stream of the symbol the recipe halts, to see the change reach it.
      const watching = new AbortController();
      const heard: StreamEvent[] = [];
      const watched = ingest
        ? (async () => {
            const options = { url: server.url, symbols: ['AAPL'], signal: watching.signal };
            for await (const event of subscribe(options)) {
              heard.push(event);
            }
          })()
        : Promise.resolve();
      const hears = (type: StreamEvent['type']) =>
        eventually(() => heard.some((event) => event.type === type), 10_000, `a ${type} event`);
      if (ingest) {
        await hears('snapshot');
      }
      const command = (recipes.get(comment) ?? '').replaceAll(
        'localhost:3000',
        new URL(server.url).host,
      );
      const curl = run('sh', ['-c', command], {
        TOKEN: await token({ symbols: ['AAPL'] }),
        INGEST_TOKEN: STATUS_TOKEN,
      });
      if (streams) {
        await eventually(() => shows.test(curl.stdout), 10_000, `${shows} in the output`);
      } else {
        expect(await curl.exited).toBe(0);
        expect(curl.stdout).toMatch(shows);
      }
      if (comment.includes('no snapshot')) {
        expect(curl.stdout).not.toContain('event: snapshot');
      }
      if (ingest) {
        await hears('status');
        watching.abort();
        await watched;
        expect(heard.find((event) => event.type === 'status')).toMatchObject({
          status: { symbol: 'AAPL', state: 'halted', reason: 'news pending' },
        });
      }
    });
  });
});
