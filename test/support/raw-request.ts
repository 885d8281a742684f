import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /**
   * The body of an answer with a Content-Length; of a stream, what came in `readStreamMs` (as
   * sent: HTTP chunk sizes included), then the stream is closed.
   */
  body: string;
}

/**
 * Sends a GET with exactly the given target and header lines, byte for byte (latin1), over a
 * new connection: what a hostile client can send, which an HTTP client library would refuse;
 * or an HTTP/1.0 request, which none sends.
 */
export function rawGet(
  port: number,
  target: string,
  headers: [string, string][],
  {
    timeoutMs = 5_000,
    readStreamMs = 0,
    version = '1.1',
  }: { timeoutMs?: number; readStreamMs?: number; version?: '1.0' | '1.1' } = {},
): Promise<RawAnswer> {
  // HTTP/1.0 closes by default, and leaves out Node's own chunked framing of a stream.
  const close = version === '1.1' ? 'Connection: close\r\n' : '';
  const head =
    `GET ${target} HTTP/${version}\r\nHost: 127.0.0.1\r\n${close}` +
    headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
    '\r\n';
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let answer: RawAnswer | undefined;
    let bodyStart = 0;
    let bodyLength = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer to ${JSON.stringify(target)} in ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (result: RawAnswer): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      if (answer) {
        done({ ...answer, body: received.subarray(bodyStart).toString('utf8') });
      } else {
        clearTimeout(timer);
        reject(new Error(`connection closed without an answer to ${JSON.stringify(target)}`));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!answer) {
        const end = received.indexOf('\r\n\r\n');
        if (end === -1) {
          return;
        }
        const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const headerMap: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          headerMap[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        answer = { status: Number(statusLine.split(' ')[1]), headers: headerMap, body: '' };
        bodyStart = end + 4;
        bodyLength = Number(headerMap['content-length'] ?? NaN);
        if ((headerMap['content-type'] ?? '').startsWith('text/event-stream')) {
          const streamed = answer;
          setTimeout(
            () => done({ ...streamed, body: received.subarray(bodyStart).toString('utf8') }),
            readStreamMs,
          );
          bodyLength = Infinity;
          return;
        }
      }
      if (received.length - bodyStart >= bodyLength) {
        done({ ...answer, body: received.subarray(bodyStart).toString('utf8') });
      }
    });
    socket.write(Buffer.from(head, 'latin1'));
  });
}
