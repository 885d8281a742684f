import { STREAM_ERROR_REASONS, type ErrorData, type EventId } from '@tickstream/client/contract';
import type { ServerResponse } from 'node:http';
import { ClientWriter, type WriterContext } from './wire/client-writer.js';
import type { Delivery, StreamSink } from './delivery/delivery.js';
import type { Frame } from './wire/frame.js';
import type { OpenPlace, OpenStreams } from './open-streams.js';

/** setTimeout fires at once for delays past this (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * One client's stream, from the place it takes in the registry to the end: its writer, its
 * delivery, the expiry of its token. Everything it holds is let go in one place, close(), whether
 * the client left, the server ended the stream, or the stream never got to start.
 */
export class OpenStream implements StreamSink, OpenPlace {
  readonly writer: ClientWriter;
  private delivery: Delivery | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private closed = false;
  private finish: () => void = () => undefined;
  /** Resolves once the stream is over. */
  readonly finished = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(
    readonly client: string,
    private readonly response: ServerResponse,
    writer: WriterContext,
    resumeFrom: EventId | undefined,
    private readonly registry: OpenStreams,
    /** What the client is told when the stream fails; logs what it must. */
    private readonly describe: (error: unknown) => ErrorData,
  ) {
    this.writer = new ClientWriter(response, writer, resumeFrom);
    // Emitted once the response has ended, or when the connection is lost first.
    response.once('close', () => this.close());
  }

  /** The client has gone, or the stream was ended: nothing more goes out. */
  get over(): boolean {
    return this.closed || this.writer.ended || this.response.destroyed;
  }

  deliverWith(delivery: Delivery): void {
    this.delivery = delivery;
  }

  /** Ends the stream with `token_expired` at `expiresAt` (ms since the epoch). */
  expireAt(expiresAt: number, message: string): void {
    const expire = (): void => {
      const remaining = expiresAt - Date.now();
      if (remaining > 0) {
        this.expiry = setTimeout(expire, Math.min(remaining, MAX_TIMEOUT_MS));
      } else {
        this.writer.fail({ reason: STREAM_ERROR_REASONS.tokenExpired, message });
        this.close();
      }
    };
    expire();
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
      this.writer.fail(this.describe(error));
    }
    this.close();
  }

  /** Lets go of everything the stream holds; the first call counts. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearTimeout(this.expiry);
    this.delivery?.leave();
    this.writer.dispose();
    this.registry.remove(this);
    this.finish();
  }
}
