import {
  interval,
  Observable,
  type Observer,
  type Subscriber,
  type Subscription,
  type Unsubscribable,
} from 'rxjs';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { HEARTBEAT, type Frame } from './frames.js';

/** What a stream writes its frames through: a ClientWriter. */
export interface FrameWriter {
  send(frame: Frame): void;
  /** Writes what waits; nothing is written after. */
  end(): void;
  /** Nothing is written after. */
  dispose(): void;
}

/**
 * The streams open in the process, each writing its frames through its ClientWriter: one timer
 * sends the heartbeats of them all, and `endAll()` ends them all at shutdown. A stream is an
 * entry in a Set here; a subscription to a shared heartbeat stream and another to a closing
 * signal cost every open stream a kilobyte more, in subscribers, closures and arrays.
 */
export class OpenStreams {
  private readonly open = new Set<OpenStream>();
  private heartbeats: Subscription | undefined;

  constructor(
    private readonly heartbeatMs: number,
    private readonly counters: StreamCounters,
  ) {}

  /**
   * Writes `frames` through the writer `writerFor` makes when the stream is subscribed, and
   * counts the stream open while it is. Emits nothing; what waits goes out before it completes
   * or fails, since Nest ends the response right after.
   */
  write(frames: Observable<Frame>, writerFor: () => FrameWriter): Observable<never> {
    return new Observable<never>((subscriber) => {
      const stream = new OpenStream(this, writerFor(), subscriber);
      this.add(stream);
      stream.read(frames);
      return stream;
    });
  }

  /** Ends every open stream, so that shutdown is not held up by clients. */
  endAll(): void {
    [...this.open].forEach((stream) => stream.complete());
  }

  private add(stream: OpenStream): void {
    this.counters.opened++;
    this.counters.open++;
    this.open.add(stream);
    // One timer for every stream: heartbeats only keep idle connections open.
    this.heartbeats ??= interval(this.heartbeatMs).subscribe(() => {
      this.open.forEach((open) => open.writer.send(HEARTBEAT));
    });
  }

  /** Forgets `stream`; called once, by its teardown. */
  remove(stream: OpenStream): void {
    this.counters.closed++;
    this.counters.open--;
    this.open.delete(stream);
    if (this.open.size === 0) {
      this.heartbeats?.unsubscribe();
      this.heartbeats = undefined;
    }
  }
}

/**
 * One stream: the observer of its frames and the teardown of its subscription in one object, so
 * that an open stream keeps no closure of its own.
 */
class OpenStream implements Observer<Frame>, Unsubscribable {
  private source: Subscription | undefined;

  constructor(
    private readonly streams: OpenStreams,
    readonly writer: FrameWriter,
    private readonly subscriber: Subscriber<never>,
  ) {}

  read(frames: Observable<Frame>): void {
    this.source = frames.subscribe(this);
  }

  next(frame: Frame): void {
    this.writer.send(frame);
  }

  error(error: unknown): void {
    this.writer.end();
    this.subscriber.error(error);
  }

  complete(): void {
    this.writer.end();
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.source?.unsubscribe();
    this.writer.dispose();
    this.streams.remove(this);
  }
}
