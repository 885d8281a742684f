import { SSE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { SseParser } from '@tickstream/client/contract';
import { StreamController } from '../src/stream/stream.controller.js';
import { RawConnection, requestHead } from './support/raw-connection.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

/** The head of a raw answer, and its body with the HTTP/1.1 chunks taken apart. */
function answerOf(raw: string): { head: string; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  let rest = raw.slice(end + 4);
  let body = '';
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (size === 0) {
      expect(rest.slice(line)).toBe('\r\n\r\n');
      return { head: raw.slice(0, end), body };
    }
    body += rest.slice(line + 2, line + 2 + size);
    expect(rest.slice(line + 2 + size, line + 4 + size)).toBe('\r\n');
    rest = rest.slice(line + 4 + size);
  }
}

/**
 * The stream route is a plain GET whose response Nest leaves alone (`@Res()`): ours writes every
 * byte (see StreamController). Nest's @Sse() would keep a writer of its own per stream, which
 * writes its own head, a blank line and comments once the handler settles. These pin that
 * nothing but ours writes.
 */
describe('the stream route: every byte from our writer', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is not an @Sse() route, whose writer holds memory and a timer per stream', () => {
    const route: unknown = Object.getOwnPropertyDescriptor(
      StreamController.prototype,
      'stream',
    )?.value;
    if (typeof route !== 'function') {
      throw new Error('StreamController has no stream route');
    }
    expect(new Reflector().get(SSE_METADATA, route)).toBeUndefined();
  });

  it('answers with our head and our frames only, to the end of the stream, and nothing after', async () => {
    server = await startServer({ ...JWT_SERVER, HEARTBEAT_MS: '200' });
    const port = Number(new URL(server.url).port);
    const stream = requestHead('GET', '/api/stream?symbols=AAPL', [
      ['Authorization', `Bearer ${await token({ expires: '2s' })}`],
    ]);
    // A second request on the same connection: its answer follows the stream's end, so anything
    // written to the stream's response after it ended would come before it.
    const connection = await RawConnection.open(
      port,
      stream + requestHead('GET', '/health/live', []),
    );
    await eventually(
      () => /\r\n\r\n\{"status":"ok"[^]*\}$/.test(connection.text()),
      10_000,
      'the stream to end and the next answer to come',
    );
    connection.close();
    const raw = connection.text();
    const { head, body } = answerOf(raw.slice(0, raw.lastIndexOf('HTTP/1.1 200')));

    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    const names = lines.slice(1).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
    expect(names).toContain('transfer-encoding');
    // Nest's writer sends Connection: keep-alive, which HTTP/2 forbids; ours sends none.
    expect(names).not.toContain('connection');
    expect(head).toContain('\r\nContent-Type: text/event-stream\r\n');
    expect(head).toContain('\r\nX-Accel-Buffering: no\r\n');

    // Nest's writer starts its body with a blank line, and probes with empty comments.
    expect(body.startsWith('retry: ') || body.startsWith('event: ')).toBe(true);
    const blocks = new SseParser().feed(body);
    expect(blocks.length).toBeGreaterThan(2);
    expect(blocks[0]).toMatchObject({ event: 'snapshot', retry: 2000 });
    expect(blocks.at(-1)?.event).toBe('error');
    expect(JSON.parse(blocks.at(-1)?.data ?? '{}')).toMatchObject({ reason: 'token_expired' });
    for (const block of blocks) {
      expect(block.event !== undefined || block.comments.every((c) => c === 'heartbeat')).toBe(
        true,
      );
    }
    expect(body.endsWith('\n\n')).toBe(true);
  });

  it('answers HEAD with our head only, and nothing after it', async () => {
    server = await startServer();
    const port = Number(new URL(server.url).port);
    const connection = await RawConnection.open(
      port,
      requestHead('HEAD', '/api/stream?symbols=AAPL', []) + requestHead('GET', '/health/live', []),
    );
    await eventually(
      () => /\r\n\r\n\{"status":"ok"[^]*\}$/.test(connection.text()),
      10_000,
      'the answers to both',
    );
    connection.close();
    const raw = connection.text();
    const answer = raw.slice(0, raw.lastIndexOf('HTTP/1.1 200'));
    expect(answer.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(answer.indexOf('\r\n\r\n')).toBe(answer.length - 4);
    expect(answer).toContain('\r\nContent-Type: text/event-stream\r\n');
    expect(answer.toLowerCase()).not.toContain('\r\nconnection:');
  });
});
