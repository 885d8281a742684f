import {
  compareEventIds,
  STREAM_EVENTS,
  type ErrorData,
  type EventId,
} from '@tickstream/client/contract';
import type { StreamCounters } from '../../metrics/stream-counters.js';
import type { FlushQueue } from './flush-queue.js';
import { chunkOf, eventFrame, Frame, HEARTBEAT_FRAME, supersedeFrame } from './frame.js';
import { LatestByKey } from './latest-by-key.js';

/** How long and how far a client may fall behind before it is cut off. */
export interface SlowClientLimits {
  maxBytes: number;
  maxMs: number;
}

/** What the writer uses of a socket: little enough to fake in a unit test, as ws does. */
export interface WriterSocket {
  readonly destroyed: boolean;
  readonly writableNeedDrain: boolean;
  readonly writableLength: number;
  setNoDelay(noDelay: boolean): unknown;
  setKeepAlive(enable: boolean): unknown;
  setTimeout(timeout: number): unknown;
  cork(): void;
  uncork(): void;
  write(chunk: Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/** What the writer uses of a response; its socket is null while it is queued on its connection. */
export interface WriterResponse {
  readonly socket: WriterSocket | null;
  readonly chunkedEncoding: boolean;
  removeHeader(name: string): void;
  writeHead(status: number, headers: string[]): unknown;
  flushHeaders(): void;
  end(): unknown;
  destroy(): unknown;
}

/** What every writer shares. */
export interface WriterContext {
  queue: FlushQueue;
  limits: SlowClientLimits;
  counters: StreamCounters;
  /** A stream's response headers, names and values in turn (see streamHeaders). */
  headers: string[];
}

/**
 * The response headers of a stream. Nothing hop-by-hop (Connection, Keep-Alive), which HTTP/2
 * forbids: behind an HTTP/2 proxy they would reach the client. HTTP/1.1 framing is chunked.
 */
const SSE_HEADERS = [
  ['Content-Type', 'text/event-stream'],
  ['Cache-Control', 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform'],
  ['Pragma', 'no-cache'],
  ['Expires', '0'],
  // nginx and its kind buffer responses unless told not to.
  ['X-Accel-Buffering', 'no'],
];

/**
 * A stream's response headers, and `others` (names and values in turn) that every answer carries,
 * as writeHead takes them: given as a list to a response that has none set yet, they go straight
 * into its head, where a header set before would be kept in a table of the response for as long
 * as the stream is open (see applyHttpSecurity).
 */
export function streamHeaders(others: readonly string[]): string[] {
  return [...SSE_HEADERS.flat(), ...others];
}

/**
 * Frames of one turn beyond this go out in more than one write, so that a client can start on a
 * large replay page before all of it is copied.
 */
const MAX_WRITE = 64 * 1024;

const orderOf = (frame: Frame): EventId => frame.supersedable?.order ?? frame.id ?? '0-0';

/**
 * The one writer of a client's stream: every byte of the response goes through it, the headers,
 * the frames, heartbeats, the error frame that ends a stream on purpose, and the end. Nest
 * declares the route and writes nothing (see StreamController).
 *
 * The frames of an event-loop turn go out in one write, as one HTTP chunk straight to the socket:
 * ServerResponse.write would make each write four buffers, a cork and a nextTick, which in a busy
 * fan-out is a third of the process's CPU. A batch of ticks costs a client one system call.
 *
 * A client whose socket stops draining costs bounded memory: nothing more is written, only the
 * latest frame per symbol is kept (other frames are kept in order) and goes out, oldest first and
 * each with its own id, when the socket drains; so a client that has an id has every held tick up
 * to it. It is cut off (and resumes with Last-Event-ID) when its socket has not drained for
 * `maxMs`, or when more than `maxBytes` wait for it as new frames come.
 */
export class ClientWriter {
  private frames: Frame[] = [];
  private bytes = 0;
  /** The id of the last frame queued: an error frame repeats it. */
  private lastId: EventId | undefined;
  /** What waits for a client that backed up; made only for one that does. */
  private held: { latest: LatestByKey<Frame>; others: Frame[] } | undefined;
  private backedUp = false;
  private cutTimer: NodeJS.Timeout | undefined;
  private drained: (() => void) | undefined;
  /** Callbacks waiting for the client to take what it was sent (a replay between pages). */
  private writable: (() => void)[] = [];
  private writtenSinceHeartbeat = false;
  private closed = false;
  /** The response's socket, once it starts: a response queued on its connection has none. */
  private socket: WriterSocket | null = null;

  constructor(
    private readonly response: WriterResponse,
    private readonly context: WriterContext,
    /** The id the client came with: an error frame before any other repeats it. */
    resumeFrom: EventId | undefined,
  ) {
    this.lastId = resumeFrom;
  }

  /** Whether the stream has ended or the client has gone: nothing more is written. */
  get ended(): boolean {
    return this.closed;
  }

  /**
   * Sends the headers and `opening` in one system call, or just the headers and the end for a
   * HEAD request. False, with nothing written, when the response has no socket to write to.
   */
  start(opening: readonly Frame[], head = false): boolean {
    const { response } = this;
    const socket = response.socket;
    if (!socket || socket.destroyed) {
      this.dispose();
      return false;
    }
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    socket.setTimeout(0);
    response.removeHeader('Connection');
    socket.cork();
    try {
      response.writeHead(200, this.context.headers);
      response.flushHeaders();
      if (head) {
        this.dispose();
        response.end();
        return true;
      }
      opening.forEach((frame) => this.send(frame));
      this.writePending();
    } finally {
      socket.uncork();
    }
    return true;
  }

  send(frame: Frame): void {
    if (this.closed) {
      return;
    }
    if (this.backedUp) {
      if (this.waiting > this.context.limits.maxBytes) {
        this.cut();
      } else if (frame.id !== undefined) {
        // A heartbeat is pointless while the connection is busy.
        this.hold(frame);
      }
      return;
    }
    if (this.frames.length === 0) {
      this.context.queue.add(this, frame.supersedable?.order);
    }
    this.frames.push(frame);
    this.bytes += frame.bytes.length;
    this.lastId = frame.id ?? this.lastId;
    if (this.bytes >= MAX_WRITE) {
      this.writePending();
    }
  }

  /** Sends a heartbeat unless something was written since the last one. */
  heartbeat(): void {
    if (!this.writtenSinceHeartbeat) {
      this.send(HEARTBEAT_FRAME);
    }
    this.writtenSinceHeartbeat = false;
  }

  /** At the end of the turn: writes what waits, and stops writing if the socket is full. */
  flush(): void {
    if (this.closed) {
      return;
    }
    this.writePending();
    if (this.full && !this.backedUp) {
      this.backUp();
    }
  }

  /** Resolves once the client has taken what it was sent, so that a replay goes on. */
  whenWritable(): Promise<void> {
    if (this.closed || (!this.backedUp && !this.full)) {
      return Promise.resolve();
    }
    if (!this.backedUp) {
      // The opening went out in start(), past the flush that notices a full socket.
      this.backUp();
    }
    return new Promise((resolve) => this.writable.push(resolve));
  }

  /** Writes whatever waits, held frames included, and ends the response. */
  end(): void {
    this.endWith(undefined);
  }

  /** Ends the stream with an `error` frame that repeats the last id sent, so nothing is lost. */
  fail(error: ErrorData): void {
    this.endWith(error);
  }

  /** Forgets the client; nothing is written after this. */
  dispose(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearTimeout(this.cutTimer);
    if (this.drained) {
      this.socket?.off('drain', this.drained);
    }
    this.held = undefined;
    this.frames = [];
    this.writable.splice(0).forEach((resume) => resume());
  }

  private endWith(error: ErrorData | undefined): void {
    if (this.closed) {
      return;
    }
    this.release();
    if (error) {
      this.send(eventFrame({ event: STREAM_EVENTS.error, id: this.lastId, data: error }));
    }
    this.writePending();
    this.dispose();
    this.response.end();
  }

  /** The socket will take no more without buffering. */
  private get full(): boolean {
    return this.socket?.writableNeedDrain ?? false;
  }

  /** Bytes written and not yet taken by the client's TCP stack. */
  private get waiting(): number {
    return this.socket?.writableLength ?? 0;
  }

  private writePending(): void {
    const { frames, socket } = this;
    if (frames.length === 0 || !socket || socket.destroyed) {
      return;
    }
    const counters = this.context.counters;
    let events = 0;
    for (const frame of frames) {
      events += frame.id === undefined ? 0 : 1;
    }
    counters.eventsSent += events;
    counters.bytesSent += this.bytes;
    // A heartbeat of its own does not count, or every other period would go without one.
    this.writtenSinceHeartbeat ||= events > 0;
    if (!this.response.chunkedEncoding) {
      // HTTP/1.0: the body is delimited by the end of the connection.
      socket.write(
        frames.length === 1 ? frames[0].bytes : Buffer.concat(frames.map((f) => f.bytes)),
      );
    } else if (frames.length === 1) {
      socket.write(frames[0].chunk);
    } else {
      socket.write(
        chunkOf(
          frames.map((frame) => frame.bytes),
          this.bytes,
        ),
      );
    }
    this.frames = [];
    this.bytes = 0;
  }

  private hold(frame: Frame): void {
    this.held ??= { latest: new LatestByKey(orderOf, supersedeFrame), others: [] };
    const { supersedable } = frame;
    if (!supersedable) {
      this.held.others.push(frame);
    } else if (this.held.latest.set(supersedable.key, frame)) {
      this.context.counters.eventsConflated++;
    }
  }

  private backUp(): void {
    this.backedUp = true;
    this.drained ??= () => {
      clearTimeout(this.cutTimer);
      this.release();
      this.writable.splice(0).forEach((resume) => resume());
    };
    this.socket?.once('drain', this.drained);
    this.cutTimer = setTimeout(() => this.cut(), this.context.limits.maxMs);
  }

  /** Queues the held frames, oldest first. */
  private release(): void {
    const held = this.held;
    this.held = undefined;
    this.backedUp = false;
    if (!held) {
      return;
    }
    const frames = [...held.latest.take(), ...held.others];
    frames.sort((a, b) => compareEventIds(orderOf(a), orderOf(b)));
    frames.forEach((frame) => this.send(frame));
  }

  private cut(): void {
    this.context.counters.slowClientsCut++;
    this.dispose();
    this.response.destroy();
  }
}
