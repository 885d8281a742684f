import {
  STREAM_ERROR_REASONS,
  type ConnectionLimit,
  type EventId,
} from '@tickstream/client/contract';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ClientWriter, type WriterContext } from './wire/client-writer.js';
import type { Delivery, StreamSink } from './delivery/delivery.js';
import type { Frame } from './wire/frame.js';
import type { OpenPlace, OpenStreams } from './open-streams.js';
import { describeFailure } from './stream-failure.js';

/**
 * One client's stream, from its request to its end: its place in the registry, its writer, its
 * delivery, the expiry of its token. Everything it holds is let go in one place, close(),
 * whether the client left, the server ended the stream, or the stream never got to start.
 *
 * It ends when its connection closes, whether or not its answer has started: an answer queued
 * behind another on a pipelined connection has no socket yet, and hears nothing of the
 * connection but through it.
 */
export class OpenStream implements StreamSink, OpenPlace {
  readonly writer: ClientWriter;
  readonly connection: Socket;
  private delivery: Delivery | undefined;
  /** What the client is told when its token expires. */
  private expiry: string | undefined;
  private closed = false;
  private finish: () => void = () => undefined;
  /** Resolves once the stream is over. */
  readonly finished = new Promise<void>((resolve) => (this.finish = resolve));
  private readonly onClose = (): void => this.close();

  constructor(
    readonly client: string,
    private readonly response: ServerResponse,
    writer: WriterContext,
    resumeFrom: EventId | undefined,
    private readonly registry: OpenStreams,
  ) {
    this.writer = new ClientWriter(response, writer, resumeFrom);
    this.connection = response.req.socket;
    // Emitted once the response has ended, or when the connection is lost first. `on`, not
    // `once`: close() takes both off, and `once` wraps each in a bound function and its state,
    // 0.3 KB of heap per open stream.
    response.on('close', this.onClose);
    this.connection.on('close', this.onClose);
    if (this.connection.destroyed) {
      this.close();
    }
  }

  /** The client has gone, or the stream was ended: nothing more goes out. */
  get over(): boolean {
    return this.closed || this.writer.ended || this.response.destroyed;
  }

  /**
   * Takes the stream's place in the registry once its answer heads its connection. A request
   * pipelined behind another answer waits for that one to end, holding no place meanwhile, or is
   * refused at once when that answer is a stream. Says which limit refused the stream, if any
   * (it is then closed); if the connection closed while it waited, the stream is over.
   */
  async admit(): Promise<ConnectionLimit | undefined> {
    if (this.closed) {
      return undefined;
    }
    const queued = this.response.socket === null;
    const before = this.registry.streamsEnteredOn(this.connection);
    let limit = this.registry.enter(this, queued);
    if (limit === undefined && queued) {
      await new Promise<void>((resolve) => {
        this.response.once('socket', () => resolve());
        void this.finished.then(resolve);
      });
      if (this.closed) {
        return undefined;
      }
      // A stream headed the connection while this one waited: it was pipelined behind a stream.
      limit =
        this.registry.streamsEnteredOn(this.connection) > before
          ? 'connection'
          : this.registry.enter(this, false);
    }
    if (limit === undefined && !this.closed) {
      limit = this.registry.add(this);
    }
    if (limit !== undefined) {
      this.close();
    }
    return limit;
  }

  /**
   * Sends the headers and `opening` (see ClientWriter.start): false, and the stream closed, when
   * it cannot start because its connection is gone.
   */
  start(opening: readonly Frame[], head: boolean): boolean {
    if (!this.closed && this.writer.start(opening, head)) {
      return true;
    }
    this.close();
    return false;
  }

  deliverWith(delivery: Delivery): void {
    this.delivery = delivery;
  }

  /** Ends the stream with `token_expired` and `message` at `expiresAt` (ms since the epoch). */
  expireAt(expiresAt: number, message: string): void {
    if (this.closed) {
      return;
    }
    this.expiry = message;
    this.registry.expireAt(this, expiresAt);
  }

  expire(): void {
    this.writer.fail({
      reason: STREAM_ERROR_REASONS.tokenExpired,
      message: this.expiry ?? 'the token expired',
    });
    this.close();
  }

  send(frame: Frame): void {
    this.writer.send(frame);
  }

  heartbeat(): void {
    this.writer.heartbeat();
  }

  end(): void {
    this.writer.end();
    this.close();
  }

  complete(): void {
    this.end();
  }

  fail(error: unknown): void {
    if (!this.over) {
      this.writer.fail(describeFailure(error));
    }
    this.close();
  }

  /** Lets go of everything the stream holds; the first call counts. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.response.off('close', this.onClose);
    this.connection.off('close', this.onClose);
    this.delivery?.leave();
    this.writer.dispose();
    this.registry.remove(this);
    this.finish();
  }
}
