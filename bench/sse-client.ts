import { connect, type Socket } from 'node:net';
import type { ByteSink } from './byte-sink.js';
import { ChunkedDecoder } from './chunked-decoder.js';
import { SseCounter } from './sse-counter.js';

/** A response head longer than this is not one of ours. */
const MAX_HEAD_BYTES = 16 * 1024;

export interface SseClientListener {
  /** The server answered 200: the stream is open. */
  onEstablished(): void;
  /** Never established: a connect error (its code), `timeout`, or a status (`HTTP 429`). */
  onRefused(reason: string): void;
  /** A tick frame: its quote's `ts`, its symbol if captured, and when the bytes were read. */
  onTick?(ts: number, symbol: string, receivedAt: number): void;
  /** A comment line (a heartbeat), and when its bytes were read. */
  onComment?(receivedAt: number): void;
  /** An established stream ended other than by close(). */
  onDropped(): void;
}

export interface SseClientOptions {
  port: number;
  path: string;
  /** Where socket reads land; one buffer may serve every client of a process. */
  readBuffer: Buffer;
  connectTimeoutMs: number;
  /** Read each tick's symbol too (slower; for the one monitor connection). */
  captureSymbol?: boolean;
  /** The local address to connect from (any of 127.0.0.0/8): the server sees another client. */
  localAddress?: string;
  /** More request headers, such as Last-Event-ID. */
  headers?: Record<string, string>;
  /** Where the body goes instead of the tick counter (then onTick and onComment are not called). */
  body?: ByteSink;
}

/**
 * One SSE stream over a raw socket with a hand-written HTTP/1.1 GET: far cheaper per connection
 * and per event than node:http, so that one load process can hold thousands of streams.
 */
export class SseClient {
  private readonly socket: Socket;
  private readonly sink: ByteSink;
  private body: ByteSink | undefined;
  private head = '';
  private receivedAt = 0;
  private settled = false;
  private closing = false;
  private readonly connectTimer: NodeJS.Timeout;

  constructor(
    options: SseClientOptions,
    private readonly listener: SseClientListener,
  ) {
    this.sink =
      options.body ??
      new SseCounter({
        onTick: (ts, symbol) => listener.onTick?.(ts, symbol, this.receivedAt),
        onComment: () => listener.onComment?.(this.receivedAt),
        captureSymbol: options.captureSymbol,
      });
    this.socket = connect({
      host: '127.0.0.1',
      port: options.port,
      localAddress: options.localAddress,
      onread: {
        buffer: options.readBuffer,
        callback: (length, buffer) => {
          this.read(buffer, length);
          return true;
        },
      },
    });
    const headers = Object.entries(options.headers ?? {})
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.socket.write(
      `GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\n` +
        `Accept: text/event-stream\r\n${headers}\r\n`,
    );
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.refuse(error.code ?? 'error'));
    this.socket.on('close', () => {
      this.refuse('closed before answering');
      if (!this.closing) {
        this.closing = true;
        listener.onDropped();
      }
    });
    this.connectTimer = setTimeout(() => {
      this.refuse('timeout');
      this.socket.destroy();
    }, options.connectTimeoutMs);
  }

  /** Stops reading: what the server sends stays in the socket's buffers until they are full. */
  pause(): void {
    this.socket.pause();
  }

  /** Ends the stream from this side; no listener is called after. */
  close(): void {
    this.settled = true;
    this.closing = true;
    clearTimeout(this.connectTimer);
    this.socket.destroy();
  }

  private read(buffer: Uint8Array, length: number): void {
    if (this.closing) {
      return;
    }
    this.receivedAt = Date.now();
    if (this.body) {
      this.body.feed(buffer, 0, length);
      if (this.body instanceof ChunkedDecoder && this.body.ended) {
        this.socket.destroy();
      }
      return;
    }
    const before = this.head.length;
    this.head += Buffer.from(buffer.buffer, buffer.byteOffset, length).toString('latin1');
    const end = this.head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.head.length > MAX_HEAD_BYTES) {
        this.refuse('bad response');
        this.socket.destroy();
      }
      return;
    }
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(this.head)?.[1];
    if (status !== '200') {
      this.refuse(status === undefined ? 'bad response' : `HTTP ${status}`);
      this.socket.destroy();
      return;
    }
    const head = this.head.slice(0, end).toLowerCase();
    this.head = '';
    this.body = /\r\ntransfer-encoding:[ \t]*chunked/.test(head)
      ? new ChunkedDecoder(this.sink)
      : this.sink;
    this.settled = true;
    clearTimeout(this.connectTimer);
    this.listener.onEstablished();
    this.read(buffer.subarray(end + 4 - before, length), length - (end + 4 - before));
  }

  /** Reports a refusal, unless the connection was already established or refused. */
  private refuse(reason: string): void {
    if (this.settled) {
      return;
    }
    this.settled = true;
    this.closing = true;
    clearTimeout(this.connectTimer);
    this.listener.onRefused(reason);
  }
}
