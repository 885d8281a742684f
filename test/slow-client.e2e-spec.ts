import type { Socket } from 'node:net';
import { compareEventIds } from '@tickstream/client/contract';
import type { Tick } from '../src/bus/tick.js';
import { metric } from './support/metrics.js';
import { StallingStream } from './support/stalling-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

/** FLOOD fills a stalled client's socket in seconds; CALM is what everyone else watches. */
const MARKET = {
  SYMBOLS: 'FLOOD:999,CALM:1',
  TICKS_PER_SECOND: '10000',
  HISTORY_SIZE: '300000',
  MAX_CONNECTIONS_PER_CLIENT: '0',
};

/** The server's side of each connection, by the client's port. */
function serverSockets(server: TestServer): Map<number, Socket> {
  const sockets = new Map<number, Socket>();
  server.app.getHttpServer().on('connection', (socket: Socket) => {
    sockets.set(socket.remotePort ?? 0, socket);
  });
  return sockets;
}

describe('a client that stops reading', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.close();
  });

  it('costs bounded memory, does not slow the others, is cut, and resumes without loss', async () => {
    server = await startServer({ ...MARKET, SLOW_CLIENT_MAX_MS: '1500' });
    const sockets = serverSockets(server);
    const flood: Tick[] = [];
    const calm: Tick[] = [];
    const recording = server.ticks.subscribe((tick) =>
      (tick.symbol === 'FLOOD' ? flood : calm).push(tick),
    );
    const others = [];
    for (let wave = 0; wave < 4; wave++) {
      const clients = Array.from({ length: 50 }, () => server.connect('symbols=CALM'));
      await Promise.all(clients.map((client) => client.waitFor((c) => c.ticks().length > 0)));
      others.push(...clients);
    }

    const slow = await StallingStream.open(`${server.url}/api/stream?symbols=FLOOD`);
    await slow.waitFor((s) => s.ticks().length > 0);
    slow.stall();
    const stalledAt = Date.now();
    const serverSide = sockets.get(slow.localPort);
    expect(serverSide).toBeDefined();
    let mostBuffered = 0;
    const sampler = setInterval(() => {
      mostBuffered = Math.max(mostBuffered, serverSide?.writableLength ?? 0);
    }, 20);
    await new Promise<void>((resolve) => serverSide?.once('close', () => resolve()));
    clearInterval(sampler);
    const cutAt = Date.now();

    // Cut once its socket had not drained for SLOW_CLIENT_MAX_MS, with what waited for it bounded
    // far below what FLOOD sent meanwhile (about 1.3 MB/s).
    expect(cutAt - stalledAt).toBeGreaterThanOrEqual(1_500);
    expect(cutAt - stalledAt).toBeLessThan(20_000);
    expect(mostBuffered).toBeLessThan(256 * 1024);
    expect(await metric(server, 'tickstream_slow_clients_cut_total')).toBe(1);

    // The others got every tick while it was stuck. How fast is a figure of the benchmark
    // (npm run bench:slow-client), not asserted on a shared machine.
    const published = calm.filter(({ quote }) => quote.ts >= stalledAt && quote.ts <= cutAt);
    expect(published.length).toBeGreaterThan(0);
    const lastCalm = published.at(-1)?.id;
    for (const client of others) {
      await client.waitFor((c) => c.ticks().some((tick) => tick.id === lastCalm));
      const received = new Set(client.ticks().map((tick) => tick.id));
      expect(published.filter((tick) => !received.has(tick.id))).toEqual([]);
    }

    // It reads what reached it, comes back with its last id, and misses no tick.
    slow.resume();
    await slow.closed;
    const before = slow.ticks();
    const lastId = before.at(-1)?.id ?? '';
    const back = await StallingStream.open(`${server.url}/api/stream?symbols=FLOOD`, {
      'Last-Event-ID': lastId,
    });
    await back.waitFor((s) => s.ticks().length >= 1_000);
    back.close();
    recording.unsubscribe();
    const seen = [...before, ...back.ticks()].map((frame) => frame.id);
    const firstIndex = flood.findIndex((tick) => tick.id === seen[0]);
    expect(firstIndex).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual(flood.slice(firstIndex, firstIndex + seen.length).map((tick) => tick.id));
  }, 60_000);

  it('gets the latest quote per symbol once it reads again, on the same connection', async () => {
    server = await startServer({ ...MARKET, SLOW_CLIENT_MAX_MS: '20000' });
    const sockets = serverSockets(server);
    const slow = await StallingStream.open(`${server.url}/api/stream?symbols=FLOOD,CALM`);
    await slow.waitFor((s) => s.ticks().length > 0);
    slow.stall();
    const serverSide = sockets.get(slow.localPort);
    // Stalled until the server's writes back up, then a while more, not long enough to be cut.
    const stalledAt = Date.now();
    while ((serverSide?.writableLength ?? 0) === 0 && Date.now() - stalledAt < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await metric(server, 'tickstream_events_conflated_total')).toBeGreaterThan(0);
    const resumedAt = Date.now();
    slow.resume();
    await slow.waitFor((s) =>
      s.ticks().some((frame) => (JSON.parse(frame.data) as { ts: number }).ts > resumedAt),
    );
    expect(serverSide?.destroyed).toBe(false);
    expect(await metric(server, 'tickstream_slow_clients_cut_total')).toBe(0);
    const ids = slow.ticks().map((frame) => frame.id ?? '');
    const sorted = [...ids].sort(compareEventIds);
    expect(ids).toEqual(sorted);
    slow.close();
  }, 45_000);
});
