import { compareEventIds } from '@tickstream/client/contract';
import { dropAndResume } from './support/drop-and-resume.js';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import type { SseClient } from './support/sse-client.js';
import { flatQuote } from './support/quote.js';
import { startServer, type TestServer } from './support/test-server.js';

const ids = (client: SseClient) => client.ticks().map((tick) => tick.id);
const between = (list: string[], first: string, last: string) =>
  list.filter((id) => compareEventIds(id, first) >= 0 && compareEventIds(id, last) <= 0);

describe('many instances on one Redis', () => {
  const prefix = uniquePrefix('instances');
  const redisEnv = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
  let feed: TestServer;
  let edgeA: TestServer;
  let edgeB: TestServer;

  beforeAll(async () => {
    [edgeA, edgeB] = await Promise.all([
      startServer({ ...redisEnv, ROLE: 'edge' }),
      startServer({ ...redisEnv, ROLE: 'edge' }),
    ]);
    feed = await startServer({ ...redisEnv, ROLE: 'feed' });
  });

  afterAll(async () => {
    await Promise.all([feed, edgeA, edgeB].map((server) => server?.close()));
    await dropPrefix(prefix);
  });

  it('gives clients on different instances the same ticks with the same ids', async () => {
    const query = 'symbols=AAPL,MSFT,NVDA';
    const onA = edgeA.connect(query);
    const onB = edgeB.connect(query);
    await Promise.all([onA, onB].map((client) => client.waitFor((c) => c.ticks().length >= 300)));
    const [a, b] = [ids(onA), ids(onB)];
    const first = compareEventIds(a[0], b[0]) > 0 ? a[0] : b[0];
    const last = compareEventIds(a[299], b[299]) < 0 ? a[299] : b[299];
    expect(between(a, first, last).length).toBeGreaterThan(200);
    expect(between(a, first, last)).toEqual(between(b, first, last));
    // Byte for byte: each tick is serialised once, when it is published.
    const framesOf = (client: SseClient) =>
      client
        .of('tick')
        .filter((event) => between([event.id], first, last).length === 1)
        .map(({ id, data }) => [id, data]);
    expect(framesOf(onA)).toEqual(framesOf(onB));
  });

  it('resumes a client on another instance with nothing lost and nothing repeated', async () => {
    const { firstEvent, seen, expected } = await dropAndResume(
      { stayOn: edgeB, dropOn: edgeA, resumeOn: edgeB },
      'symbols=AAPL,TSLA',
    );
    expect(firstEvent).toBe('tick');
    expect(seen.length).toBeGreaterThanOrEqual(150);
    expect(seen).toEqual(expected);
  });

  it('does not serve streams from the feed process', async () => {
    const response = await fetch(`${feed.url}/api/stream?symbols=AAPL`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});

describe('Redis history bounds', () => {
  const prefix = uniquePrefix('bounds');
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      BUS: 'redis',
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
      FEED: 'none',
      HISTORY_SIZE: '100',
    });
  });

  afterAll(async () => {
    await server?.close();
    await dropPrefix(prefix);
  });

  it('resumes from ids still held and resets ids that trimming dropped, or never handed out', async () => {
    const quote = (price: number) => flatQuote('AAPL', price);
    const { head: origin } = await server.bus.snapshot([]);
    expect(await server.bus.canResumeFrom(origin)).toBe(true);
    const [first] = await server.bus.publishAll([quote(1)]);
    const batch = await server.bus.publishAll(Array.from({ length: 999 }, (_, i) => quote(i + 2)));
    const last = batch[batch.length - 1];

    expect(await server.bus.canResumeFrom(first.id)).toBe(false);
    expect(await server.bus.canResumeFrom(origin)).toBe(false);
    expect(await server.bus.canResumeFrom(batch[950].id)).toBe(true);
    expect(await server.bus.canResumeFrom(last.id)).toBe(true);
    const [ms, seq] = last.id.split('-').map(Number);
    expect(await server.bus.canResumeFrom(`${ms}-${seq + 1}`)).toBe(false);
    expect(await server.bus.canResumeFrom('not-an-id')).toBe(false);

    const aapl = (symbol: string) => symbol === 'AAPL';
    const page = await server.bus.history(batch[950].id, aapl, 1000);
    expect(page.events.map((event) => event.id)).toEqual(batch.slice(951).map((tick) => tick.id));
    expect(page).toMatchObject({ next: last.id, end: true });
    const first10 = await server.bus.history(batch[950].id, aapl, 10);
    expect(first10).toMatchObject({ next: batch[960].id, end: false });
    expect(first10.events).toHaveLength(10);
    await expect(server.bus.history(first.id, aapl, 1000)).rejects.toThrow(/history no longer/);
  });
});
