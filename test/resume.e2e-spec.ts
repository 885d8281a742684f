import { compareEventIds } from '@tickstream/client/contract';
import type { Tick } from '../src/bus/tick.js';
import { dropAndResume } from './support/drop-and-resume.js';
import { eventually, sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

describe('resuming a stream', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  it('with Last-Event-ID loses and repeats nothing, compared with a client that stayed', async () => {
    server = await startServer();
    const { firstEvent, seen, expected } = await dropAndResume(
      { stayOn: server, dropOn: server, resumeOn: server },
      'symbols=AAPL,MSFT,NVDA',
    );
    expect(firstEvent).toBe('tick');
    expect(seen).toEqual(expected);
  });

  it('under a throttle never loses a latest price, even one held back when the client left', async () => {
    server = await startServer({ FEED: 'none' });
    const query = 'symbols=AAPL,MSFT&throttle=1000';
    const dropped = server.connect(query);
    await dropped.waitFor((c) => c.of('snapshot').length === 1);
    await server.publish('AAPL', 1);
    await dropped.waitFor((c) => c.lastPrice('AAPL') === 1);
    await server.publish('AAPL', 2); // held until AAPL's window ends
    await server.publish('MSFT', 1); // goes out at once
    await dropped.waitFor((c) => c.lastPrice('MSFT') === 1);
    dropped.close();
    expect(dropped.lastPrice('AAPL')).toBe(1);
    await server.publish('MSFT', 2);

    const resumed = server.connect(query, { lastEventId: dropped.lastEventId });
    await resumed.waitFor(
      (c) => c.lastPrice('AAPL') === 2 && c.lastPrice('MSFT') === 2,
      3_000,
      'the latest prices',
    );
    expect(resumed.of('reset')).toEqual([]);
    expect(resumed.of('snapshot')).toEqual([]);
  });

  it('replays missed ticks conflated to the latest per symbol under a throttle', async () => {
    server = await startServer({ FEED: 'none' });
    const first = await server.publish('AAPL', 1);
    for (let price = 2; price <= 50; price++) {
      await server.publish('AAPL', price);
      await server.publish('MSFT', price);
    }
    const resumed = server.connect('symbols=AAPL,MSFT&throttle=500', { lastEventId: first.id });
    await resumed.waitFor((c) => c.ticks().length >= 2);
    await sleep(100);
    expect(resumed.ticks().map((t) => [t.symbol, t.price])).toEqual([
      ['AAPL', 50],
      ['MSFT', 50],
    ]);
  });

  it('accepts the resume point as the lastEventId query param, the header winning over it', async () => {
    server = await startServer({ FEED: 'none' });
    const ticks: Tick[] = [];
    for (let price = 1; price <= 3; price++) {
      ticks.push(await server.publish('AAPL', price));
    }
    const byQuery = server.connect(`symbols=AAPL&lastEventId=${ticks[0].id}`);
    await byQuery.waitFor((c) => c.ticks().length === 2);
    expect(byQuery.ticks().map((t) => t.price)).toEqual([2, 3]);

    const both = server.connect(`symbols=AAPL&lastEventId=${ticks[0].id}`, {
      lastEventId: ticks[1].id,
    });
    await both.waitFor((c) => c.ticks().length === 1);
    await sleep(100);
    expect(both.ticks().map((t) => t.price)).toEqual([3]);
  });

  it('sends reset and a fresh snapshot for a well-formed id it does not know', async () => {
    server = await startServer();
    for (const unknown of ['1-0', '0-0', '99999999999999-0']) {
      const client = server.connect('symbols=AAPL,MSFT', { lastEventId: unknown });
      await client.waitFor((c) => c.of('snapshot').length === 1 && c.ticks().length > 0);
      expect(client.events[0].type).toBe('reset');
      expect(JSON.parse(client.events[0].data)).toMatchObject({ lastEventId: unknown });
      expect(client.events[1].type).toBe('snapshot');
      const { quotes } = JSON.parse(client.events[1].data) as { quotes: { symbol: string }[] };
      expect(quotes.map((quote) => quote.symbol)).toEqual(['AAPL', 'MSFT']);
    }
  });

  it('sends reset when the id has been evicted from history', async () => {
    server = await startServer({ HISTORY_SIZE: '200' });
    const client = server.connect('symbols=AAPL');
    await client.waitFor((c) => c.ticks().length >= 1);
    client.close();
    let published = 0;
    const counting = server.ticks.subscribe(() => published++);
    await eventually(() => published > 400, 5_000, '400 more ticks');
    counting.unsubscribe();

    const resumed = server.connect('symbols=AAPL', { lastEventId: client.lastEventId });
    await resumed.waitFor((c) => c.of('snapshot').length === 1);
    expect(resumed.events.map((event) => event.type).slice(0, 2)).toEqual(['reset', 'snapshot']);
  });

  it('resumes a client that reconnects by itself after the server drops it', async () => {
    server = await startServer({ RETRY_MS: '50' });
    const stayed = server.connect('symbols=AAPL,TSLA');
    const client = server.connect('symbols=AAPL,TSLA');
    await client.waitFor((c) => c.ticks().length >= 20);
    await stayed.waitFor((c) => c.ticks().length >= 20);
    // Cut every open connection; EventSource reconnects with its Last-Event-ID after `retry`.
    server.app.getHttpServer().closeAllConnections();
    const cutAt = Date.now();
    await client.waitFor(
      (c) => c.ticks().some((t) => t.receivedAt > cutAt + 100),
      5_000,
      'ticks after the cut',
    );
    const ids = client.ticks().map((t) => t.id);
    const last = ids.at(-1) ?? '';
    await stayed.waitFor((c) => c.ticks().some((t) => t.id === last));
    const reconnectedStayed = stayed.ticks().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      reconnectedStayed.filter(
        (id) => compareEventIds(id, ids[0]) >= 0 && compareEventIds(id, last) <= 0,
      ),
    );
    expect(client.of('reset')).toEqual([]);
  });
});
