import { Injectable, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import {
  concat,
  defer,
  from,
  interval,
  map,
  merge,
  Observable,
  share,
  Subject,
  switchMap,
  takeUntil,
} from 'rxjs';
import type { EventId } from '../bus/event-id.js';
import { TickBus } from '../bus/tick-bus.js';
import { AppConfig } from '../config/app-config.js';
import { conflate } from './conflate.js';

export interface StreamRequest {
  symbols: readonly string[];
  throttleMs: number;
  snapshot: boolean;
  /** Where the client left off, from Last-Event-ID or the lastEventId query param. */
  lastEventId?: string;
}

/** The frames that open a stream, and the id after which its ticks start. */
interface Opening {
  frames: MessageEvent[];
  after: EventId;
}

/**
 * Builds each subscriber's stream: an opening (snapshot, resume or reset), then its symbols'
 * ticks from the bus, conflated by its throttle, with heartbeats between.
 *
 * Every frame that is not a comment carries an id the client can safely resume from, because
 * Nest numbers id-less events itself and a per-connection counter would make resume lie.
 */
@Injectable()
export class StreamService implements OnModuleDestroy {
  private readonly closing = new Subject<void>();
  private readonly heartbeats: Observable<MessageEvent>;

  constructor(
    private readonly bus: TickBus,
    private readonly config: AppConfig,
  ) {
    // One timer for every stream: heartbeats only keep idle connections open.
    this.heartbeats = interval(config.HEARTBEAT_MS).pipe(
      map((): MessageEvent => ({ comment: 'heartbeat' })),
      share(),
    );
  }

  open(request: StreamRequest): Observable<MessageEvent> {
    const events = defer(() => this.opening(request)).pipe(
      switchMap(({ frames, after }) =>
        concat(
          from(frames),
          this.bus.ticksAfter(request.symbols, after).pipe(
            conflate(request.throttleMs, after),
            map(({ tick, watermark }): MessageEvent => ({
              type: 'tick',
              id: watermark,
              data: tick.data,
            })),
          ),
        ),
      ),
    );
    return merge(events, this.heartbeats).pipe(takeUntil(this.closing));
  }

  /** Ends every open stream, so shutdown is not held up by clients. */
  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
  }

  private async opening({ symbols, snapshot, lastEventId }: StreamRequest): Promise<Opening> {
    const retry = this.config.RETRY_MS;
    if (lastEventId !== undefined && (await this.bus.canResumeFrom(lastEventId))) {
      return { after: lastEventId, frames: [{ id: lastEventId, retry }] };
    }
    const { head, quotes } = await this.bus.snapshot(symbols);
    const snapshotFrame: MessageEvent = { type: 'snapshot', id: head, data: { quotes } };
    if (lastEventId !== undefined) {
      // The reset repeats the client's own id: if the client drops before the snapshot, it
      // comes back with that id and is reset again rather than resuming past a gap.
      const reason = 'the last event id is unknown or older than the retained history';
      return {
        after: head,
        frames: [
          { type: 'reset', id: lastEventId, retry, data: { lastEventId, reason } },
          snapshotFrame,
        ],
      };
    }
    return {
      after: head,
      frames: [snapshot ? { ...snapshotFrame, retry } : { id: head, retry }],
    };
  }
}
