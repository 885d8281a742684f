import type { IncomingMessage, ServerResponse } from 'node:http';
import { metric, metricReaches } from './support/metrics.js';
import { RawConnection, requestHead } from './support/raw-connection.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

const STREAM = requestHead('GET', '/api/stream?symbols=AAPL', []);

/** How often `pattern` occurs in `text`. */
const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/**
 * A connection that sends several requests at once, without waiting for answers (HTTP/1.1
 * pipelining): the server answers them in order, so each waits for the one before to end.
 */
describe('stream requests pipelined on one connection', () => {
  let server: TestServer;
  let responses: ServerResponse[];
  const connections: RawConnection[] = [];
  const streams: RawStream[] = [];

  async function start(env: Record<string, string> = {}): Promise<void> {
    server = await startServer(env);
    responses = [];
    server.app
      .getHttpServer()
      .on('request', (_request: IncomingMessage, response: ServerResponse) =>
        responses.push(response),
      );
  }

  async function pipeline(heads: string[]): Promise<RawConnection> {
    const port = Number(new URL(server.url).port);
    const connection = await RawConnection.open(port, heads.join(''));
    connections.push(connection);
    return connection;
  }

  /**
   * Waits until the server has answered every request of `connection` but the first: a queued
   * answer waits behind the stream at the head, but the server is done with it.
   */
  function queuedAnswered(connection: RawConnection, requests: number): Promise<void> {
    const onConnection = () =>
      responses.filter(({ req }) => req.socket.remotePort === connection.localPort);
    return eventually(
      () => {
        const [, ...queued] = onConnection();
        return queued.length === requests - 1 && queued.every((response) => response.writableEnded);
      },
      5_000,
      'every queued request to be answered',
    );
  }

  async function openAgain(): Promise<number> {
    const stream = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    streams.push(stream);
    return stream.status;
  }

  afterEach(async () => {
    connections.splice(0).forEach((connection) => connection.close());
    streams.splice(0).forEach((stream) => stream.close());
    await server.close();
  });

  it('opens the first of 101, holds nothing for the others, and gives every slot back when the connection closes', async () => {
    await start();
    const alone = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    await alone.waitForText(/event: snapshot/);
    const subscriptionsOfOne = await metric(server, 'tickstream_bus_subscriptions');
    alone.close();
    await metricReaches(server, 'tickstream_streams_open', (open) => open === 0);

    const connection = await pipeline(Array.from({ length: 101 }, () => STREAM));
    await eventually(() => connection.text().includes('event: snapshot'), 5_000, 'a snapshot');
    await queuedAnswered(connection, 101);
    expect(await metric(server, 'tickstream_streams_open')).toBe(1);
    expect(await metric(server, 'tickstream_bus_subscriptions')).toBe(subscriptionsOfOne);

    connection.close();
    expect(await metricReaches(server, 'tickstream_streams_open', (open) => open === 0)).toBe(0);
    expect(await metric(server, 'tickstream_bus_subscriptions')).toBe(0);
    expect(await openAgain()).toBe(200);
  });

  it('never takes MAX_CONNECTIONS slots for ever when clients have no limit of their own', async () => {
    await start({ MAX_CONNECTIONS: '20', MAX_CONNECTIONS_PER_CLIENT: '0' });
    const connection = await pipeline(Array.from({ length: 50 }, () => STREAM));
    await eventually(() => connection.text().includes('event: snapshot'), 5_000, 'a snapshot');
    await queuedAnswered(connection, 50);
    expect(await metric(server, 'tickstream_streams_open')).toBe(1);

    connection.close();
    expect(await metricReaches(server, 'tickstream_streams_open', (open) => open === 0)).toBe(0);
    expect(await openAgain()).toBe(200);
  });

  it('refuses a stream request queued behind a stream with a 429 that follows the stream once it ends', async () => {
    await start(JWT_SERVER);
    const head = requestHead('GET', '/api/stream?symbols=AAPL', [
      ['Authorization', `Bearer ${await token({ expires: '2s' })}`],
    ]);
    const connection = await pipeline([head, head, head]);
    await eventually(
      () => count(connection.text(), /HTTP\/1\.1 429/g) === 2,
      5_000,
      'both queued requests to be answered',
    );
    const text = connection.text();
    // The stream ended on purpose, then the answers waiting behind it came, in order.
    expect(text.indexOf('token_expired')).toBeLessThan(text.indexOf('HTTP/1.1 429'));
    expect(count(text, /"field":"connections"/g)).toBe(2);
    expect(count(text, /"limit":"connection"/g)).toBe(2);
    expect(count(text, /HTTP\/1\.1 200/g)).toBe(1);
    expect(await metric(server, 'tickstream_streams_open')).toBe(0);
  });

  it('opens a stream queued behind a short answer once that answer is written', async () => {
    await start();
    const connection = await pipeline([requestHead('GET', '/health/live', []), STREAM]);
    await eventually(() => connection.text().includes('event: snapshot'), 5_000, 'a snapshot');
    const text = connection.text();
    expect(count(text, /HTTP\/1\.1 200/g)).toBe(2);
    expect(text.indexOf('"status":"ok"')).toBeLessThan(text.indexOf('text/event-stream'));
    expect(await metric(server, 'tickstream_streams_open')).toBe(1);

    connection.close();
    expect(await metricReaches(server, 'tickstream_streams_open', (open) => open === 0)).toBe(0);
  });
});
