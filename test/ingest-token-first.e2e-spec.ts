import type { Socket } from 'node:net';
import { RawConnection, requestHead } from './support/raw-connection.js';
import { startServer, type TestServer } from './support/test-server.js';

// POST /api/ticks checks its token before it reads a byte of the body, with real sockets: a
// client without the token cannot make the server receive, parse or even drain its body.

const TOKEN = 'ingest-token-for-token-first-tests-01';
const MAX_BYTES = 4_000_000;
/** Well below what the bodies sent would take to read. */
const READ_BOUND = 1_000_000;

describe('POST /api/ticks checks the token before the body', () => {
  let server: TestServer;
  let port: number;
  /** The server's side of every connection by the client's port, to see how much it read. */
  const serverSockets = new Map<number | undefined, Socket>();

  beforeAll(async () => {
    server = await startServer({
      FEED: 'none',
      INGEST_TOKEN: TOKEN,
      INGEST_MAX_BYTES: String(MAX_BYTES),
    });
    port = Number(new URL(server.url).port);
    server.app
      .getHttpServer()
      .on('connection', (socket: Socket) => serverSockets.set(socket.remotePort, socket));
  });

  afterAll(async () => {
    await server.close();
  });

  const post = (length: number, headers: [string, string][] = []) =>
    RawConnection.open(
      port,
      requestHead('POST', '/api/ticks', [
        ['Content-Type', 'application/json'],
        ['Content-Length', String(length)],
        ...headers,
      ]),
    );

  /** What the server read of `client`'s connection, once it is closed. */
  const readByServer = (client: RawConnection) =>
    serverSockets.get(client.localPort)?.bytesRead ?? NaN;

  /** `client` got `status` and its connection closed, the server having read less than `bound`. */
  async function expectRefusedUnread(
    client: RawConnection,
    status: number,
    bound = READ_BOUND,
  ): Promise<void> {
    const reply = await client.reply;
    expect(reply?.status).toBe(status);
    expect(reply?.headers.connection).toBe('close');
    expect(JSON.parse(reply?.body ?? '{}')).toMatchObject({ statusCode: status });
    await client.closed;
    expect(readByServer(client)).toBeLessThan(bound);
  }

  it('answers 401 to a 10 MB body without a token at once, unread, and closes the connection', async () => {
    await expectRefusedUnread(await post(10_000_000), 401);
  });

  it('answers 401 to a 2.5 MB body sent at full speed having read little of it, and drains none', async () => {
    const size = 2_500_000;
    const client = await post(size, [['Authorization', 'Bearer not-the-token']]);
    await client.sendEach(Array<Buffer>(50).fill(Buffer.alloc(size / 50, 'x')));
    await expectRefusedUnread(client, 401);
  });

  it('refuses a declared length over the limit, and a type it does not take, without reading the body', async () => {
    const bearer: [string, string] = ['Authorization', `Bearer ${TOKEN}`];
    await expectRefusedUnread(await post(MAX_BYTES + 1, [bearer]), 413);
    const otherType = await RawConnection.open(
      port,
      requestHead('POST', '/api/ticks', [
        ['Content-Type', 'text/plain'],
        ['Content-Length', String(2_500_000)],
        bearer,
      ]),
    );
    await expectRefusedUnread(otherType, 415);
  });

  it('stops reading a body of undeclared length with the token as soon as it passes the limit', async () => {
    const client = await RawConnection.open(
      port,
      requestHead('POST', '/api/ticks', [
        ['Content-Type', 'application/json'],
        ['Transfer-Encoding', 'chunked'],
        ['Authorization', `Bearer ${TOKEN}`],
      ]),
    );
    const piece = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
    await client.sendEach(Array<string>(Math.ceil((3 * MAX_BYTES) / 0x10000)).fill(piece));
    await expectRefusedUnread(client, 413, MAX_BYTES + READ_BOUND);
  });

  it('reads the body of a request with the token, and keeps its connection', async () => {
    const body = JSON.stringify([{ symbol: 'AAPL', price: 101.5 }]);
    const client = await post(Buffer.byteLength(body), [['Authorization', `Bearer ${TOKEN}`]]);
    await client.send(body);
    const reply = await client.reply;
    expect(reply?.status).toBe(202);
    expect(reply?.headers.connection).toBe('keep-alive');
    expect(JSON.parse(reply?.body ?? '{}')).toMatchObject({ ids: [expect.any(String)] });
    client.close();
  });
});
