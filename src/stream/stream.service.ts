import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Observable } from 'rxjs';
import type { EventId } from '@tickstream/client/contract';
import { TickBus } from '../bus/tick-bus.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { ClientWriter, type SlowClientLimits } from './client-writer.js';
import { endAtExpiry } from './end-at-expiry.js';
import { FlushQueue } from './flush-queue.js';
import { eventFrame, type Frame } from './frames.js';
import { OpenStreams } from './open-streams.js';
import { SharedConflation } from './shared-conflation.js';
import { SseChannel } from './sse-channel.js';
import { sseSinkOf } from './sse-sink.js';
import { UnthrottledFrames } from './unthrottled-frames.js';

export interface StreamRequest {
  symbols: readonly string[];
  throttleMs: number;
  snapshot: boolean;
  /** Where the client left off, from Last-Event-ID or the lastEventId query param. */
  lastEventId?: string;
  /** When the client's token expires, in ms since the epoch; the stream ends then. */
  expiresAt?: number;
}

/** The frames that open a stream, and the id after which its ticks start. */
interface Opening {
  frames: Frame[];
  after: EventId;
}

/**
 * Builds each subscriber's stream: an opening (snapshot, resume or reset), then its symbols'
 * ticks from the bus, conflated by its throttle, with heartbeats between, written into the
 * response by a ClientWriter.
 *
 * Every frame that is not a comment carries an id the client can safely resume from.
 */
@Injectable()
export class StreamService implements OnModuleDestroy {
  private readonly streams: OpenStreams;
  private readonly flushes: FlushQueue;
  private readonly counters: StreamCounters;
  private readonly limits: SlowClientLimits;
  private readonly unthrottled: UnthrottledFrames;
  private readonly conflation: SharedConflation;
  /** One function for every stream, not a closure kept by each. */
  private readonly countReplayed = (count: number): void => {
    this.counters.eventsReplayed += count;
  };

  constructor(
    private readonly bus: TickBus,
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    this.streams = new OpenStreams(config.HEARTBEAT_MS, metrics.streams);
    this.flushes = new FlushQueue((oldestTickId) => metrics.observeWrite(oldestTickId));
    this.counters = metrics.streams;
    this.limits = { maxBytes: config.SLOW_CLIENT_MAX_BYTES, maxMs: config.SLOW_CLIENT_MAX_MS };
    this.unthrottled = new UnthrottledFrames(bus);
    this.conflation = new SharedConflation(
      bus,
      (count) => (this.counters.eventsConflated += count),
    );
  }

  /**
   * Streams to `response`, which Nest is about to pipe its SSE stream into. The frames bypass
   * Nest's one-write-per-event path, so the Observable emits nothing; it ends with the stream.
   */
  open(request: StreamRequest, response: ServerResponse): Observable<never> {
    const { expiresAt, lastEventId } = request;
    const frames =
      expiresAt === undefined
        ? this.events(request)
        : this.events(request).pipe(endAtExpiry(expiresAt, lastEventId));
    return this.streams.write(
      frames,
      () =>
        new ClientWriter(
          new SseChannel(sseSinkOf(response), response),
          this.flushes,
          this.limits,
          this.counters,
        ),
    );
  }

  /** Ends every open stream, so shutdown is not held up by clients. */
  onModuleDestroy(): void {
    this.streams.endAll();
  }

  /**
   * The opening frames, then the ticks. Written out rather than as concat() inside switchMap(),
   * which would put two more calls on every tick's path.
   */
  private events(request: StreamRequest): Observable<Frame> {
    return new Observable<Frame>((subscriber) => {
      this.opening(request).then(
        ({ frames, after }) => {
          if (subscriber.closed) {
            return;
          }
          frames.forEach((frame) => subscriber.next(frame));
          // Handed the subscriber itself, the ticks' teardown is the subscriber's own: no
          // Subscription of its own for every open stream to keep.
          this.ticksAfter(request, after).subscribe(subscriber);
        },
        (error: unknown) => subscriber.error(error),
      );
    });
  }

  /** Unthrottled, every tick with its own id; throttled, through the shared conflation. */
  private ticksAfter({ symbols, throttleMs }: StreamRequest, after: EventId): Observable<Frame> {
    return throttleMs <= 0
      ? this.unthrottled.after(symbols, after, this.countReplayed)
      : this.conflation.after(symbols, throttleMs, after, this.countReplayed);
  }

  private async opening({ symbols, snapshot, lastEventId }: StreamRequest): Promise<Opening> {
    const retry = this.config.RETRY_MS;
    if (lastEventId !== undefined && (await this.bus.canResumeFrom(lastEventId))) {
      return { after: lastEventId, frames: [eventFrame({ id: lastEventId, retry })] };
    }
    const { head, quotes } = await this.bus.snapshot(symbols);
    const snapshotFields = { type: 'snapshot', id: head, data: { quotes } };
    if (lastEventId !== undefined) {
      this.counters.resets++;
      // The reset repeats the client's own id: if the client drops before the snapshot, it
      // comes back with that id and is reset again rather than resuming past a gap.
      const reason = 'the last event id is unknown or older than the retained history';
      return {
        after: head,
        frames: [
          eventFrame({ type: 'reset', id: lastEventId, retry, data: { lastEventId, reason } }),
          eventFrame(snapshotFields),
        ],
      };
    }
    return {
      after: head,
      frames: [eventFrame(snapshot ? { ...snapshotFields, retry } : { id: head, retry })],
    };
  }
}
