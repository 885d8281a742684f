import { subscribe, type StreamEvent } from '@tickstream/client';
import type { Tick } from '../src/bus/tick.js';
import { OpenStreams } from '../src/stream/open-streams.js';
import { flatQuote } from './support/quote.js';
import { openRawStream } from './support/raw-stream.js';
import { OwnRedis, uniquePrefix } from './support/redis.js';
import { startServer, type TestServer } from './support/test-server.js';

// How streams end when the server ends them: with every frame that was due written first, and,
// when it ends one on failure, with an `error` frame whose id the client resumes from.

describe('a stream the server ends', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('fails with an error frame whose id resumes, and the typed client resumes from it without a reset', async () => {
    const redis = await OwnRedis.start();
    try {
      server = await startServer({
        BUS: 'redis',
        REDIS_URL: redis.url,
        REDIS_PREFIX: uniquePrefix('stream-end'),
        FEED: 'none',
        RETRY_MS: '100',
      });
      const bus = server.bus;
      const published: Tick[] = [];
      for (let batch = 0; batch < 20; batch++) {
        const quotes = Array.from({ length: 5_000 }, (_, i) =>
          flatQuote(i % 2 === 0 ? 'AAPL' : 'MSFT', batch * 5_000 + i + 1),
        );
        published.push(...(await bus.publishAll(quotes)));
      }
      const wanted = published.slice(1).filter((tick) => tick.quote.symbol === 'AAPL');
      const controller = new AbortController();
      const events: StreamEvent[] = [];
      const ticks: string[] = [];
      for await (const event of subscribe({
        url: server.url,
        symbols: ['AAPL'],
        lastEventId: published[0].id,
        signal: controller.signal,
      })) {
        events.push(event);
        if (event.type === 'open' && events.length === 1) {
          // The replay has just begun: its next page waits on a Redis that no longer answers.
          redis.freeze();
        } else if (event.type === 'ended') {
          redis.thaw();
        } else if (event.type === 'tick') {
          ticks.push(event.id);
          if (ticks.length === wanted.length) {
            controller.abort();
          }
        }
      }
      const ended = events.filter((event) => event.type === 'ended');
      expect(ended).toEqual([
        expect.objectContaining({ type: 'ended', reason: 'bus_unavailable' }) as unknown,
      ]);
      expect(events.filter((event) => event.type === 'open')).toEqual([
        { type: 'open', resumed: true },
        { type: 'open', resumed: true },
      ]);
      expect(events.some((event) => event.type === 'reset')).toBe(false);
      // Every tick once, in order, across the failure.
      expect(ticks).toEqual(wanted.map((tick) => tick.id));
    } finally {
      await server?.close();
      server = undefined;
      await redis.kill();
    }
  }, 60_000);

  it('writes the frames due before the end when the process drains', async () => {
    server = await startServer({ FEED: 'none' });
    const stream = await openRawStream(`${server.url}/api/stream?symbols=AAPL&snapshot=false`);
    await stream.waitForText(/retry: \d+/);
    // Published and ended in the same turn: the tick is due, not yet written, when the end comes.
    const tick = await server.bus.publish(flatQuote('AAPL', 101));
    server.app.get(OpenStreams).endAll();
    await stream.ended;
    expect(stream.text()).toContain(`id: ${tick.id}\n`);
  });

  it('writes the frames due before the end when the application closes', async () => {
    server = await startServer({ FEED: 'none' });
    const stream = await openRawStream(`${server.url}/api/stream?symbols=AAPL&snapshot=false`);
    await stream.waitForText(/retry: \d+/);
    const tick = await server.bus.publish(flatQuote('AAPL', 102));
    const closing = server.app.close();
    server = undefined;
    await Promise.all([stream.ended, closing]);
    expect(stream.text()).toContain(`id: ${tick.id}\n`);
  });
});
