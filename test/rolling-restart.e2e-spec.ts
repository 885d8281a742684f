import { compareEventIds } from '@tickstream/client/contract';
import { Http2Client } from './support/http2-client.js';
import { startNginx, type LocalNginx } from './support/nginx.js';
import { readiness } from './support/readiness.js';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { listening, type ListeningProcess } from './support/server-process.js';
import { SseClient } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

const EDGES = 3;
const CLIENTS = 4;
const QUERY = 'symbols=AAPL,MSFT,NVDA,TSLA';

describe('a rolling restart behind nginx', () => {
  const prefix = uniquePrefix('rolling');
  const env = {
    BUS: 'redis',
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: prefix,
    RETRY_MS: '200',
  };
  let feed: TestServer;
  const edges: ListeningProcess[] = [];
  let nginx: LocalNginx;
  const connections: Http2Client[] = [];
  const clients: SseClient[] = [];

  /** An edge instance as a process of its own, on `port` (a free one when 0). */
  const startEdge = (port: number) =>
    listening({
      ...env,
      ROLE: 'edge',
      HOST: '127.0.0.1',
      PORT: String(port),
      TRUST_PROXY: '127.0.0.1',
      SHUTDOWN_GRACE_MS: '4000',
    });

  beforeAll(async () => {
    feed = await startServer({ ...env, TICKS_PER_SECOND: '100' });
    for (let i = 0; i < EDGES; i++) {
      edges.push(await startEdge(0));
    }
    await Promise.all(edges.map((edge) => readiness(edge.url, 200)));
    nginx = await startNginx(edges.map((edge) => edge.url));
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    connections.forEach((connection) => connection.close());
    await nginx?.close();
    for (const edge of edges) {
      edge.child.kill('SIGKILL');
      await edge.exit;
    }
    await feed?.close();
    await dropPrefix(prefix);
  });

  it('moves every client to another instance, and none loses or repeats a tick', async () => {
    // The control stays on the feed's own instance, which is not restarted.
    const control = feed.connect(QUERY);
    await control.waitFor((c) => c.of('snapshot').length === 1);
    for (let i = 0; i < CLIENTS; i++) {
      const connection = new Http2Client(nginx.url, nginx.ca);
      connections.push(connection);
      clients.push(new SseClient(`${nginx.url}/api/stream?${QUERY}`, { fetch: connection.fetch }));
    }
    await Promise.all(clients.map((client) => client.waitFor((c) => c.ticks().length >= 10)));

    for (const [i, edge] of edges.entries()) {
      const port = Number(new URL(edge.url).port);
      edge.child.kill('SIGTERM');
      const { signal } = await edge.exit;
      expect(signal).toBe('SIGTERM');
      edges[i] = await startEdge(port);
      await readiness(edges[i].url, 200, 20_000);
    }

    // Every client goes on to where the control is now.
    const end = control.lastEventId;
    await Promise.all(
      clients.map((client) =>
        client.waitFor(
          (c) => c.ticks().some((tick) => compareEventIds(tick.id, end) >= 0),
          15_000,
          'the ticks after the restarts',
        ),
      ),
    );
    const controlIds = control.ticks().map((tick) => tick.id);
    for (const client of clients) {
      // Each was on a restarted instance: its stream ended at least once, and it came back.
      expect(client.errors.length).toBeGreaterThanOrEqual(1);
      expect(client.of('reset')).toEqual([]);
      const ids = client.ticks().map((tick) => tick.id);
      const from = controlIds.indexOf(ids[0]);
      expect(from).toBeGreaterThanOrEqual(0);
      const to = controlIds.indexOf(end);
      const seen = ids.filter((id) => compareEventIds(id, end) <= 0);
      expect(seen).toEqual(controlIds.slice(from, to + 1));
    }
  }, 120_000);
});
