import { PATHS, type ErrorBody } from '@tickstream/client/contract';
import { ask } from './support/http.js';
import { dropPrefix, keysOf, uniquePrefix } from './support/redis.js';
import { listening, type ListeningProcess } from './support/server-process.js';

const INGEST = { INGEST_TOKEN: 'the-ingest-token-of-the-role-tests' };
/** The shared Redis, reached with a password it accepts (its default user has none). */
const REDIS_WITH_PASSWORD = 'redis://default:not-for-the-log@127.0.0.1:6379';

/** Everything the process logged, once it has stopped. */
async function logOf(server: ListeningProcess): Promise<string> {
  server.child.kill('SIGTERM');
  return (await server.exit).output;
}

describe('roles say what they are', () => {
  const prefix = uniquePrefix('roles');
  const redis = { BUS: 'redis', REDIS_URL: REDIS_WITH_PASSWORD, REDIS_PREFIX: prefix };
  const started: ListeningProcess[] = [];

  async function start(env: Record<string, string>): Promise<ListeningProcess> {
    const server = await listening({ HOST: '127.0.0.1', TICKS_PER_SECOND: '5', ...env });
    started.push(server);
    return server;
  }

  afterAll(async () => {
    started.forEach(({ child }) => child.kill('SIGKILL'));
    await dropPrefix(prefix);
  });

  it('a feed answers /api/stream with a 404 that says it serves no streams and where they are', async () => {
    const feed = await start({ ROLE: 'feed', ...redis });
    const answer = await ask(`${feed.url}/${PATHS.stream}?symbols=AAPL`);
    expect(answer.status).toBe(404);
    expect(answer.isStream).toBe(false);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const body = answer.body as ErrorBody;
    expect(body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      field: 'ROLE',
      value: 'feed',
    });
    expect(body.message).toMatch(/serves no streams/);
    expect(body.message).toMatch(/ROLE=edge/);
    expect(body.message).toMatch(/ROLE=all/);
    // Whatever the query: it is not a stream's refusal, so nothing of it is checked.
    expect((await ask(`${feed.url}/${PATHS.stream}?symbols=NOPE&throttle=x`)).status).toBe(404);
    // The feed's own routes are there.
    expect((await ask(`${feed.url}/${PATHS.symbols}`)).status).toBe(200);
  });

  it("a feed's start-up log names its role, its bus, what it writes and where, and no password", async () => {
    const feed = await start({ ROLE: 'feed', ...redis, ...INGEST });
    const log = await logOf(feed);
    expect(log).toContain(
      `ROLE=feed BUS=redis: writes the simulated market and POST /api/ticks and /api/status ` +
        `to partition 0 (Redis stream ${keysOf(prefix).stream} on 127.0.0.1:6379); ` +
        'serves no streams: they are on the ROLE=edge and ROLE=all instances',
    );
    expect(log).not.toContain('not-for-the-log');
  });

  it("an edge's start-up log says what it reads and serves, and the page's URL", async () => {
    const edge = await start({ ROLE: 'edge', ...redis });
    const page = `${edge.url}/`;
    const answer = await fetch(page);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const log = await logOf(edge);
    expect(log).toContain(
      `ROLE=edge BUS=redis: writes nothing to partition 0 ` +
        `(Redis stream ${keysOf(prefix).stream} on 127.0.0.1:6379), ` +
        `reads it and serves its streams; the page is at ${page}`,
    );
  });

  it('an instance of every role on the memory bus says so', async () => {
    const all = await start({ ...INGEST });
    const log = await logOf(all);
    expect(log).toContain(
      'ROLE=all BUS=memory: writes the simulated market and POST /api/ticks and /api/status ' +
        "to partition 0 (this process's memory), reads it and serves its streams; " +
        `the page is at ${all.url}/`,
    );
  });
});
