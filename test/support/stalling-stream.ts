import { request, type IncomingMessage } from 'node:http';

export interface RawFrame {
  type: string;
  id?: string;
  data: string;
}

function parseFrame(block: string): RawFrame {
  const frame: RawFrame = { type: 'message', data: '' };
  for (const line of block.split('\n')) {
    const separator = line.indexOf(': ');
    const field = separator === -1 ? line : line.slice(0, separator);
    const value = separator === -1 ? '' : line.slice(separator + 2);
    if (field === 'event') {
      frame.type = value;
    } else if (field === 'id') {
      frame.id = value;
    } else if (field === 'data') {
      frame.data = value;
    }
  }
  return frame;
}

/**
 * A stream that can stop reading, as a stuck client does: the server's writes then back up
 * through the kernel's buffers into its own.
 */
export class StallingStream {
  /** Complete frames received, comments left out. */
  readonly frames: RawFrame[] = [];
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
  private partial = '';
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const blocks = (this.partial + chunk).split('\n\n');
      this.partial = blocks.pop() ?? '';
      for (const block of blocks) {
        const frame = parseFrame(block.replace(/^\n+/, ''));
        if (frame.data !== '' || frame.id !== undefined) {
          this.frames.push(frame);
        }
      }
      this.listeners.forEach((listener) => listener());
    });
    response.on('error', () => undefined);
    this.closed = new Promise((resolve) => response.socket.on('close', () => resolve()));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<StallingStream> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) =>
        resolve(new StallingStream(res)),
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** The client's port: the server's socket for this stream has it as its remote port. */
  get localPort(): number {
    return this.response.socket.localPort ?? 0;
  }

  ticks(): RawFrame[] {
    return this.frames.filter((frame) => frame.type === 'tick');
  }

  stall(): void {
    this.response.pause();
  }

  resume(): void {
    this.response.resume();
  }

  close(): void {
    this.response.destroy();
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
}
