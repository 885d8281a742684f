import { parseEventId, type ResetData } from '@tickstream/client/contract';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

/** A time after every tick so far and before every tick to come. */
async function aMomentBetween(): Promise<number> {
  await sleep(5);
  const at = Date.now();
  await sleep(5);
  return at;
}

describe('replaying from a time (since)', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('replays every event from that time, as a client that stayed got them, then goes live', async () => {
    server = await startServer({ FEED: 'none' });
    const stayed = server.connect('symbols=AAPL,MSFT');
    await stayed.waitFor((c) => c.of('snapshot').length === 1);
    await server.publish('AAPL', 1);
    await server.publish('TSLA', 1);
    const since = await aMomentBetween();
    for (const [symbol, price] of [
      ['AAPL', 2],
      ['TSLA', 2],
      ['MSFT', 3],
      ['AAPL', 4],
    ] as const) {
      await server.publish(symbol, price);
    }

    const replays = [String(since), new Date(since).toISOString()].map((at) =>
      server.connect(`symbols=AAPL,MSFT&since=${at}`),
    );
    for (const replayed of replays) {
      await replayed.waitFor((c) => c.ticks().length === 3, 3_000, 'the replay');
    }
    const live = await server.publish('MSFT', 5);
    for (const replayed of replays) {
      await replayed.waitFor((c) => c.ticks().length === 4, 3_000, 'the live tick');
    }
    await stayed.waitFor((c) => c.ticks().some((t) => t.id === live.id));
    const fromSince = stayed.ticks().filter((t) => (parseEventId(t.id)?.ms ?? 0) >= since);
    for (const replayed of replays) {
      expect(replayed.of('snapshot')).toEqual([]);
      expect(replayed.of('reset')).toEqual([]);
      expect(replayed.ticks().map((t) => t.id)).toEqual(fromSince.map((t) => t.id));
      expect(replayed.ticks().map((t) => [t.symbol, t.price])).toEqual([
        ['AAPL', 2],
        ['MSFT', 3],
        ['AAPL', 4],
        ['MSFT', 5],
      ]);
    }
  });

  it('under a throttle replays the latest of each symbol since that time', async () => {
    server = await startServer({ FEED: 'none' });
    await server.publish('AAPL', 1);
    const since = await aMomentBetween();
    for (let price = 2; price <= 20; price++) {
      await server.publish('AAPL', price);
      await server.publish('MSFT', price);
    }
    const replayed = server.connect(`symbols=AAPL,MSFT&throttle=500&since=${since}`);
    await replayed.waitFor((c) => c.ticks().length >= 2);
    await sleep(100);
    expect(replayed.ticks().map((t) => [t.symbol, t.price])).toEqual([
      ['AAPL', 20],
      ['MSFT', 20],
    ]);
  });

  it('says so with a reset and a snapshot when history does not reach back to that time', async () => {
    server = await startServer({ FEED: 'none' });
    await server.publish('AAPL', 7);
    const since = Date.now() - 3_600_000;
    const replayed = server.connect(`symbols=AAPL&since=${new Date(since).toISOString()}`);
    await replayed.waitFor((c) => c.of('snapshot').length === 1);
    expect(replayed.events.map((event) => event.type)).toEqual(['reset', 'snapshot']);
    const reset = JSON.parse(replayed.events[0].data) as ResetData;
    expect(reset).toEqual({
      since,
      reason: `the retained history does not reach back to ${new Date(since).toISOString()}`,
    });
    expect(replayed.events[0].id).toBe('');
    expect(replayed.lastPrice('AAPL')).toBe(7);
  });

  it('yields to a resume point, which EventSource sends on reconnect with the same URL', async () => {
    server = await startServer({ FEED: 'none' });
    await server.publish('AAPL', 1);
    const since = await aMomentBetween();
    const received = await server.publish('AAPL', 2);
    await server.publish('AAPL', 3);
    const resumed = server.connect(`symbols=AAPL&since=${since}`, { lastEventId: received.id });
    await resumed.waitFor((c) => c.ticks().length === 1);
    await sleep(100);
    expect(resumed.ticks().map((t) => t.price)).toEqual([3]);
  });

  it('replays the same on another instance over Redis, and resets on a time before its stream', async () => {
    const prefix = uniquePrefix('since');
    const env = { FEED: 'none', BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
    server = await startServer(env);
    const other = await startServer(env);
    try {
      const first = await server.publish('AAPL', 1);
      const since = await aMomentBetween();
      const published = [
        await server.publish('MSFT', 2),
        await server.publish('AAPL', 3),
        await server.publish('TSLA', 4),
      ];
      const replayed = other.connect(`symbols=AAPL,MSFT&since=${since}`);
      await replayed.waitFor((c) => c.ticks().length === 2, 3_000, 'the replay');
      expect(replayed.ticks().map((t) => t.id)).toEqual([published[0].id, published[1].id]);
      expect(replayed.of('reset')).toEqual([]);

      const before = other.connect(
        `symbols=AAPL&since=${(parseEventId(first.id)?.ms ?? 0) - 60_000}`,
      );
      await before.waitFor((c) => c.of('snapshot').length === 1, 3_000, 'the reset');
      expect(before.events.map((event) => event.type)).toEqual(['reset', 'snapshot']);
    } finally {
      await other.close();
      await dropPrefix(prefix);
    }
  });

  it('with live=false ends once the replay is written, and a fresh stream once its snapshot is', async () => {
    server = await startServer({ FEED: 'none' });
    await server.publish('AAPL', 1);
    const since = await aMomentBetween();
    const replayed = await server.publish('AAPL', 2);
    const read = async (query: string): Promise<string> => {
      const response = await fetch(`${server.url}/api/stream?${query}`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const replay = await read(`symbols=AAPL&since=${since}&live=false`);
    expect(replay).toMatch(/^retry: \d+\n\nevent: tick\nid: (\S+)\ndata: .*"price":2[,}].*\n\n$/);
    expect(replay).toContain(`id: ${replayed.id}\n`);
    const fresh = await read('symbols=AAPL,MSFT&live=false');
    expect(fresh).toMatch(
      /^event: snapshot\nid: \S+\nretry: \d+\ndata: \{"quotes":\[\{"symbol":"AAPL","price":2,/,
    );
    expect(fresh.match(/^event: /gm)).toHaveLength(1);
    expect(server.bus.subscriberCount).toBe(0);
  });

  it('starts live when nothing has happened since that time', async () => {
    server = await startServer({ FEED: 'none' });
    await server.publish('AAPL', 1);
    const since = await aMomentBetween();
    const replayed = server.connect(`symbols=AAPL&since=${since}`);
    await sleep(100);
    await server.publish('AAPL', 2);
    await replayed.waitFor((c) => c.ticks().length === 1);
    expect(replayed.events.map((event) => [event.type, event.data])).toEqual([
      ['tick', expect.stringContaining('"price":2')],
    ]);
  });
});
