import { connect, type Socket } from 'node:net';
import { SseParser } from '@tickstream/client/contract';

export interface RawFrame {
  type: string;
  id?: string;
  data: string;
}

/**
 * A stream read over a plain socket that can stop reading, as a stuck client does: the server's
 * writes then back up through the kernel's buffers into its own.
 */
export class StallingStream {
  /** Complete frames received, comments left out. */
  readonly frames: RawFrame[] = [];
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  /** Received bytes not yet decoded: the head, then chunk sizes and chunks. */
  private wire = '';
  private headDone = false;
  private readonly parser = new SseParser();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.wire += chunk;
      this.decode();
      this.listeners.forEach((listener) => listener());
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<StallingStream> {
    const { hostname, port, pathname, search } = new URL(url);
    const head = [
      `GET ${pathname}${search} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Accept: text/event-stream',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`${head.join('\r\n')}\r\n\r\n`);
        resolve(new StallingStream(socket));
      });
      socket.once('error', reject);
    });
  }

  /** The client's port: the server's socket for this stream has it as its remote port. */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  ticks(): RawFrame[] {
    return this.frames.filter((frame) => frame.type === 'tick');
  }

  stall(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }

  waitFor(check: (stream: StallingStream) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const test = () => {
        if (check(this)) {
          clearTimeout(timer);
          this.listeners.delete(test);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(test);
        reject(new Error(`timed out after ${timeoutMs} ms with ${this.frames.length} frames`));
      }, timeoutMs);
      this.listeners.add(test);
      test();
    });
  }

  /** Takes the head, then whole chunks (the response is chunked), then frames from them. */
  private decode(): void {
    if (!this.headDone) {
      const end = this.wire.indexOf('\r\n\r\n');
      if (end === -1) {
        return;
      }
      this.wire = this.wire.slice(end + 4);
      this.headDone = true;
    }
    let payload = '';
    for (;;) {
      const sizeEnd = this.wire.indexOf('\r\n');
      const size = parseInt(this.wire.slice(0, sizeEnd), 16);
      if (sizeEnd === -1 || this.wire.length < sizeEnd + 2 + size + 2) {
        break;
      }
      payload += this.wire.slice(sizeEnd + 2, sizeEnd + 2 + size);
      this.wire = this.wire.slice(sizeEnd + 2 + size + 2);
    }
    for (const { event, id, data } of this.parser.feed(payload)) {
      if (data !== undefined || id !== undefined) {
        this.frames.push({ type: event ?? 'message', id, data: data ?? '' });
      }
    }
  }
}
