import { connect } from 'node:net';
import { busy, BUSY_TOKEN } from './support/busy-request.js';
import { OpenStreams } from '../src/stream/open-streams.js';
import { drain } from '../src/shutdown/drain.js';
import { openRawStream } from './support/raw-stream.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('draining the server', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('stops accepting, ends every stream cleanly on a whole frame, and closes every connection', async () => {
    server = await startServer({ TICKS_PER_SECOND: '500' });
    const port = Number(new URL(server.url).port);
    const raws = await Promise.all(
      ['AAPL', 'MSFT,NVDA'].map((symbols) =>
        openRawStream(`${server.url}/api/stream?symbols=${symbols}&throttle=0`),
      ),
    );
    const client = server.connect('symbols=TSLA');
    await client.waitFor((c) => c.ticks().length > 0);
    await Promise.all(raws.map((raw) => raw.waitForText(/event: tick/)));
    const registry = server.app.get(OpenStreams);
    expect(registry.size).toBe(3);

    const startedAt = Date.now();
    const drained = drain(server.app.getHttpServer(), () => registry.endAll(), 5_000);
    expect(await refusesConnections(port)).toBe(true);
    await Promise.all(raws.map((raw) => raw.ended));
    expect(await drained).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    for (const raw of raws) {
      // The last frame is whole: the stream was ended, not cut.
      expect(raw.text()).toMatch(/\n\n$/);
    }
    expect(registry.size).toBe(0);
    await eventually(() => server.bus.subscriberCount === 0, 1_000, 'subscriptions to end');
  });

  it('gives up waiting after the grace period while a connection stays busy', async () => {
    server = await startServer({ INGEST_TOKEN: BUSY_TOKEN });
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    await busy(socket);
    const registry = server.app.get(OpenStreams);
    const startedAt = Date.now();
    expect(await drain(server.app.getHttpServer(), () => registry.endAll(), 300)).toBe(false);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(295);
    socket.destroy();
  });
});
