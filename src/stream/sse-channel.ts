import type { SseStream } from '@nestjs/core/router/sse-stream.js';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The wire under one SSE response. Once Nest has sent the headers, a write goes straight to the
 * socket as one HTTP chunk: ServerResponse.write would make it four buffers, a cork and a
 * nextTick, which in a busy fan-out is a third of the process's CPU. What Nest writes itself (an
 * `error` event) goes through its stream, and while that stream holds anything, so do these
 * writes, to keep the order.
 */
export class SseChannel {
  constructor(
    private readonly sse: SseStream,
    private readonly response: ServerResponse,
  ) {}

  write(text: string): void {
    const socket = this.socket();
    if (!socket || this.sse.writableLength + this.sse.readableLength > 0) {
      this.sse.write(text);
      return;
    }
    if (this.sse.headersCommitted) {
      socket.write(this.chunk(text));
      return;
    }
    // The first write also sends the headers, which Node writes on their own: corked, the
    // opening of a stream costs one system call, not two.
    socket.cork();
    try {
      this.sse.commitHeaders();
      socket.write(this.chunk(text));
    } finally {
      socket.uncork();
    }
  }

  /** The client is not taking what it is sent: the socket is past its high-water mark. */
  get full(): boolean {
    return this.socket()?.writableNeedDrain ?? this.response.writableNeedDrain;
  }

  /** Bytes written and not yet taken by the client's TCP stack. */
  get waiting(): number {
    return this.response.writableLength;
  }

  onceDrained(listener: () => void): void {
    (this.socket() ?? this.response).once('drain', listener);
  }

  offDrained(listener: () => void): void {
    this.response.socket?.off('drain', listener);
    this.response.off('drain', listener);
  }

  destroy(): void {
    this.response.destroy();
  }

  private chunk(text: string): string {
    return this.response.chunkedEncoding
      ? `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`
      : text;
  }

  /** The socket, while this response is the one it is carrying. */
  private socket(): Socket | undefined {
    const socket = this.response.socket;
    return socket && !socket.destroyed && !this.response.writableEnded ? socket : undefined;
  }
}
