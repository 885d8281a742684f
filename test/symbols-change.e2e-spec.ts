import { compareEventIds, type SnapshotData } from '@tickstream/client/contract';
import type { ReceivedTick, SseClient } from './support/sse-client.js';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

const snapshots = (client: SseClient): SnapshotData[] =>
  client.of('snapshot').map((event) => JSON.parse(event.data) as SnapshotData);

const ofSymbol = (ticks: ReceivedTick[], symbol: string): ReceivedTick[] =>
  ticks.filter((tick) => tick.symbol === symbol);

describe('resuming with other symbols (resumeSymbols)', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('resumes the kept symbols with every tick, opens the added one with a snapshot and stops the removed one, compared with a client that stayed', async () => {
    server = await startServer();
    const stayed = server.connect('symbols=AAPL,MSFT,NVDA');
    await stayed.waitFor((c) => c.of('snapshot').length === 1);
    const dropped = server.connect('symbols=AAPL,MSFT');
    await dropped.waitFor((c) => c.ticks().length >= 50);
    dropped.close();
    const resumeFrom = dropped.lastEventId;
    await stayed.waitFor(
      (c) => c.ticks().filter((t) => compareEventIds(t.id, resumeFrom) > 0).length >= 100,
    );

    const resumed = server.connect('symbols=AAPL,NVDA&resumeSymbols=AAPL,MSFT', {
      lastEventId: resumeFrom,
    });
    await resumed.waitFor(
      (c) => ofSymbol(c.ticks(), 'AAPL').length >= 50 && ofSymbol(c.ticks(), 'NVDA').length >= 50,
    );
    const target = resumed.ticks().at(-1)?.id ?? '';
    await stayed.waitFor((c) => c.ticks().some((t) => t.id === target));
    const upToTarget = (t: ReceivedTick): boolean => compareEventIds(t.id, target) <= 0;
    const after = (id: string) => (t: ReceivedTick) => compareEventIds(t.id, id) > 0;

    expect(resumed.events.map((event) => event.type).slice(0, 1)).toEqual(['snapshot']);
    expect(resumed.of('reset')).toEqual([]);
    expect(resumed.events[0].id).toBe(resumeFrom);
    const [opening] = snapshots(resumed);
    expect(opening.quotes.map((quote) => quote.symbol)).toEqual(['NVDA']);

    // Kept: nothing lost, nothing repeated.
    const first = dropped.ticks()[0].id;
    const keptSeen = [...dropped.ticks(), ...resumed.ticks()].filter(
      (t) => t.symbol === 'AAPL' && upToTarget(t),
    );
    const keptExpected = ofSymbol(stayed.ticks(), 'AAPL').filter(
      (t) => compareEventIds(t.id, first) >= 0 && upToTarget(t),
    );
    expect(keptSeen.map((t) => t.id)).toEqual(keptExpected.map((t) => t.id));

    // Added: the snapshot stands for every tick before the first one sent, which follow whole.
    const addedSeen = ofSymbol(resumed.ticks(), 'NVDA');
    const addedAll = ofSymbol(stayed.ticks(), 'NVDA').filter(upToTarget);
    const firstSent = addedAll.findIndex((t) => t.id === addedSeen[0].id);
    expect(firstSent).toBeGreaterThan(0);
    expect(addedSeen.map((t) => t.id)).toEqual(addedAll.slice(firstSent).map((t) => t.id));
    const standsFor = addedAll[firstSent - 1];
    expect(opening.quotes[0]).toMatchObject({
      symbol: 'NVDA',
      price: standsFor.price,
      ts: standsFor.ts,
      state: 'open',
    });

    // Removed: stops.
    expect(ofSymbol(resumed.ticks(), 'MSFT')).toEqual([]);
    // Ids never go back.
    const ids = resumed.events.map((event) => event.id);
    expect([...ids].sort(compareEventIds)).toEqual(ids);
    expect(resumed.ticks().every(after(resumeFrom))).toBe(true);
  });

  it('under a throttle: the latest price of each kept symbol, the added one from its snapshot on, nothing of the removed one', async () => {
    server = await startServer({ FEED: 'none' });
    const query = 'symbols=AAPL,MSFT&throttle=200';
    const dropped = server.connect(query);
    await dropped.waitFor((c) => c.of('snapshot').length === 1);
    await server.publish('AAPL', 1);
    await server.publish('MSFT', 1);
    await server.publish('NVDA', 1);
    await dropped.waitFor((c) => c.lastPrice('AAPL') === 1 && c.lastPrice('MSFT') === 1);
    dropped.close();
    await server.publish('AAPL', 2);
    await server.publish('NVDA', 2);
    await server.publish('MSFT', 2);

    const resumed = server.connect('symbols=AAPL,NVDA&throttle=200&resumeSymbols=AAPL,MSFT', {
      lastEventId: dropped.lastEventId,
    });
    await resumed.waitFor((c) => c.lastPrice('AAPL') === 2, 3_000, 'the kept symbol');
    await server.publish('NVDA', 3);
    await resumed.waitFor((c) => c.lastPrice('NVDA') === 3, 3_000, 'the added symbol live');
    await sleep(300);

    expect(resumed.of('reset')).toEqual([]);
    expect(snapshots(resumed).map((data) => data.quotes.map((q) => [q.symbol, q.price]))).toEqual([
      [['NVDA', 2]],
    ]);
    expect(resumed.ticks().map((t) => [t.symbol, t.price])).toEqual([
      ['AAPL', 2],
      ['NVDA', 3],
    ]);
  });

  it('does the same on another instance over Redis', async () => {
    const prefix = uniquePrefix('resyms');
    const env = { FEED: 'none', BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
    server = await startServer(env);
    const other = await startServer(env);
    try {
      const dropped = server.connect('symbols=AAPL,MSFT');
      await dropped.waitFor((c) => c.of('snapshot').length === 1);
      await server.publish('AAPL', 1);
      await server.publish('NVDA', 1);
      await dropped.waitFor((c) => c.ticks().length === 1);
      dropped.close();
      const kept = await server.publish('AAPL', 2);
      await server.publish('MSFT', 2);
      await server.publish('NVDA', 2);

      const resumed = other.connect('symbols=AAPL,NVDA&resumeSymbols=AAPL,MSFT', {
        lastEventId: dropped.lastEventId,
      });
      await resumed.waitFor((c) => c.ticks().length === 1, 3_000, 'the kept tick');
      const live = await server.publish('NVDA', 3);
      await resumed.waitFor((c) => c.ticks().length === 2, 3_000, 'the added symbol live');
      expect(snapshots(resumed).map((data) => data.quotes.map((q) => [q.symbol, q.price]))).toEqual(
        [[['NVDA', 2]]],
      );
      expect(resumed.ticks().map((t) => t.id)).toEqual([kept.id, live.id]);
    } finally {
      await other.close();
      await dropPrefix(prefix);
    }
  });

  it('resumes every symbol as before when the client does not say which it had', async () => {
    server = await startServer({ FEED: 'none' });
    const first = await server.publish('AAPL', 1);
    await server.publish('NVDA', 2);
    const resumed = server.connect('symbols=AAPL,NVDA', { lastEventId: first.id });
    await resumed.waitFor((c) => c.ticks().length === 1);
    await sleep(100);
    expect(resumed.of('snapshot')).toEqual([]);
    expect(resumed.ticks().map((t) => [t.symbol, t.price])).toEqual([['NVDA', 2]]);
  });
});
