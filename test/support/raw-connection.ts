import { connect, type Socket } from 'node:net';

export interface RawReply {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** The head of a request, byte for byte as given (latin1). */
export function requestHead(method: string, target: string, headers: [string, string][]): string {
  return (
    `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
    '\r\n'
  );
}

/**
 * A connection that sends a request the way a hostile client can: its head, then its body in
 * pieces, slowly, or never, while it reads whatever the server answers meanwhile.
 */
export class RawConnection {
  /** The first complete answer; undefined when the connection closed without one. */
  readonly reply: Promise<RawReply | undefined>;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  /** The client's port: the server's socket for this connection has it as its remote port. */
  readonly localPort: number | undefined;
  private received = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    this.localPort = socket.localPort;
    // A reset from a server that stopped reading is an outcome, seen as the close that follows.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.reply = new Promise((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        this.received = Buffer.concat([this.received, chunk]);
        const reply = parseReply(this.received, false);
        if (reply) {
          resolve(reply);
        }
      });
      socket.once('close', () => resolve(parseReply(this.received, true)));
    });
  }

  /** Connects to the server on 127.0.0.1:`port` and sends `head` (see requestHead). */
  static open(port: number, head: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        socket.write(Buffer.from(head, 'latin1'));
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends `chunk`; resolves true once the socket takes more, false if it was closed. */
  send(chunk: string | Buffer): Promise<boolean> {
    const socket = this.socket;
    if (!socket.writable) {
      return Promise.resolve(false);
    }
    if (socket.write(chunk)) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (taken: boolean) => () => {
        socket.off('drain', drained);
        socket.off('close', gone);
        resolve(taken);
      };
      const drained = done(true);
      const gone = done(false);
      socket.once('drain', drained);
      socket.once('close', gone);
    });
  }

  /**
   * Sends `pieces` one after the other, `everyMs` apart, until they run out or the server has
   * answered or closed the connection.
   */
  async sendEach(pieces: Iterable<string | Buffer>, everyMs = 0): Promise<void> {
    let over = false;
    void Promise.race([this.reply, this.closed]).then(() => (over = true));
    for (const piece of pieces) {
      if (over || !(await this.send(piece))) {
        return;
      }
      if (everyMs > 0) {
        await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, everyMs))]);
      }
    }
  }

  /** Everything received so far, as sent (latin1): every answer of a pipelined connection. */
  text(): string {
    return this.received.toString('latin1');
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The answer in `received`, once complete: to its Content-Length, or to the close without one. */
function parseReply(received: Buffer, closed: boolean): RawReply | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end === -1) {
    return undefined;
  }
  const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = received.subarray(end + 4);
  const length = headers['content-length'];
  if (length === undefined ? !closed : body.length < Number(length)) {
    return undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
}
