import { Injectable } from '@nestjs/common';
import {
  STREAM_EVENTS,
  compareEventIds,
  type EventId,
  type ResetData,
} from '@tickstream/client/contract';
import type { ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { EventLog, HistoryGapError } from '../bus/event-log.js';
import { LatestValues, type Snapshot } from '../bus/latest-values.js';
import type { MarketEvent } from '../bus/market-event.js';
import { standingsOf } from '../bus/standings.js';
import { AppConfig } from '../config/app-config.js';
import { BarBook } from '../market-data/bars/bar-book.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SECURITY_HEADERS } from '../security/http-security.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { catchUp, type CatchUpIo, type CatchUpPage } from './delivery/catch-up.js';
import { channelsOf, type Channel, type ChannelSources } from './delivery/channel.js';
import type { SupersededCount } from './delivery/channel-conflation.js';
import { ResumedBars } from './delivery/resumed-bars.js';
import { streamHeaders, type WriterContext } from './wire/client-writer.js';
import { Conflated } from './delivery/conflated.js';
import { Conflations } from './delivery/conflations.js';
import type { CurrentBars, Delivery } from './delivery/delivery.js';
import { EveryTick } from './delivery/every-tick.js';
import { FlushQueue } from './wire/flush-queue.js';
import { eventFrame, type Frame } from './wire/frame.js';
import { LiveFrames } from './delivery/live-frames.js';
import { OpenStream } from './open-stream.js';
import { SnapshotPages } from './snapshot-pages.js';
import { OpenStreams } from './open-streams.js';
import { ReplayLimiter } from './delivery/replay-limiter.js';
import type { StreamItem } from './wire/stream-item.js';
import type { StreamRequest } from './stream-request.js';
import { TooManyConnectionsException } from './too-many-connections.exception.js';
import { refuse } from './connection-limit.guard.js';
import { addedSymbols, type AddedSymbols } from './added-symbols.js';
import { replayPoint } from './replay-point.js';

/** Entries of history read at a time by a catch-up: a page of a replay. */
const HISTORY_PAGE = 250;

const NO_BARS: CurrentBars = () => [];

/** Leaves out the events of added symbols that their snapshot stands for. */
const notBefore =
  ({ symbols, at }: { symbols: AddedSymbols; at: EventId }) =>
  (event: MarketEvent): boolean =>
    !symbols.has(event.symbol) || compareEventIds(event.id, at) > 0;

/** The frames that open a stream, the id after which its ticks start, and whether it resumes. */
interface Opening {
  frames: Frame[];
  /** The later pages of a snapshot too large for one, written by the catch-up. */
  more?: SnapshotPages;
  after: EventId;
  resuming: boolean;
  /** Symbols added on a resume: their history up to `at` is what their snapshot stands for. */
  added?: { symbols: AddedSymbols; at: EventId };
}

/**
 * Opens each subscriber's stream: an opening (snapshot, resume or reset), then its symbols'
 * ticks, from history and live, through the delivery its throttle asks for, written by its own
 * ClientWriter. Every frame that is not a comment carries an id the client can resume from.
 */
@Injectable()
export class StreamService {
  private readonly counters: StreamCounters;
  private readonly writers: WriterContext;
  private readonly live: LiveFrames;
  private readonly conflations: Conflations;
  private readonly replays: ReplayLimiter;
  /** One function for every stream, not a closure kept by each. */
  private readonly counts: SupersededCount = {
    superseded: (count) => {
      this.counters.eventsConflated += count;
    },
  };
  private readonly countReplayed = (count: number): void => {
    this.counters.eventsReplayed += count;
  };

  constructor(
    private readonly log: EventLog,
    private readonly latest: LatestValues,
    private readonly config: AppConfig,
    private readonly registry: OpenStreams,
    private readonly bars: BarBook,
    metrics: Metrics,
  ) {
    this.counters = metrics.streams;
    this.writers = {
      queue: new FlushQueue((oldestTickId) => metrics.observeWrite(oldestTickId)),
      limits: { maxBytes: config.SLOW_CLIENT_MAX_BYTES, maxMs: config.SLOW_CLIENT_MAX_MS },
      counters: this.counters,
      headers: streamHeaders(SECURITY_HEADERS),
    };
    const sources: ChannelSources = { sourceOf: (channel) => this.sourceOf(channel) };
    this.live = new LiveFrames(sources);
    this.conflations = new Conflations(sources, this.counts);
    this.replays = new ReplayLimiter(config.MAX_CONCURRENT_REPLAYS);
    metrics.watchReplays(() => this.replays.load);
  }

  /**
   * Starts a stream on `response` and resolves once it has started (its OpenStream owns it from
   * then on), or once its connection closed before it could start. Not when it ends: whatever
   * awaits this is held as long as the stream, which for the route's handler was Nest's and
   * Express's frames of it, 2.5 KB of heap per idle stream (docs/benchmarks.md). Rejects, with
   * nothing written, when the stream cannot open: a limit was reached meanwhile, or the request
   * was pipelined behind a stream (429), or the bus is out of reach (503).
   */
  async open(request: StreamRequest, response: ServerResponse): Promise<void> {
    const stream = new OpenStream(
      request.client,
      response,
      this.writers,
      request.resumeFrom,
      this.registry,
    );
    const limit = await stream.admit();
    if (limit !== undefined) {
      throw refuse(new TooManyConnectionsException(limit, this.config), response);
    }
    if (stream.over) {
      return;
    }
    let opening: Opening;
    try {
      opening = await this.opening(request);
    } catch (error) {
      stream.close();
      throw error;
    }
    if (!stream.start(opening.frames, request.head)) {
      return;
    }
    if (request.head || this.registry.closing) {
      stream.end();
      return;
    }
    if (request.expiresAt !== undefined) {
      stream.expireAt(
        request.expiresAt,
        `the token expired at ${new Date(request.expiresAt).toISOString()}; reconnect with a new one`,
      );
    }
    const delivery = this.delivery(request, opening, stream);
    stream.deliverWith(delivery);
    catchUp(delivery, opening.after, opening.resuming, this.io(request, stream, opening)).then(
      () => {
        if (!request.live && !stream.over) {
          stream.end();
        }
      },
      (error: unknown) => stream.fail(error),
    );
  }

  private sourceOf(channel: Channel): Observable<StreamItem> {
    switch (channel.kind) {
      case 'events':
        return this.log.events(channel.symbol);
      case 'every-symbol-events':
        return this.log.allEvents;
      case 'bars':
        return this.bars.bars(channel.interval, channel.symbol);
      case 'every-symbol-bars':
        return this.bars.bars(channel.interval);
    }
  }

  private delivery(
    request: StreamRequest,
    { after, resuming }: Opening,
    stream: OpenStream,
  ): Delivery {
    const channels = channelsOf(request);
    const { symbols, bars } = request;
    // A resume's bars come with the pages of its catch-up (see ResumedBars).
    const currentBars: CurrentBars =
      bars.length === 0 || resuming ? NO_BARS : () => this.bars.current(symbols, bars);
    return request.throttleMs > 0
      ? new Conflated({
          channels,
          windowMs: request.throttleMs,
          shared: this.conflations,
          after,
          sink: stream,
          counts: this.counts,
          currentBars,
        })
      : new EveryTick(channels, this.live, stream, currentBars);
  }

  private io({ symbols, bars }: StreamRequest, stream: OpenStream, opening: Opening): CatchUpIo {
    const wanted = new Set(symbols === 'all' ? [] : symbols);
    const isWanted =
      symbols === 'all' ? (): boolean => true : (symbol: string): boolean => wanted.has(symbol);
    const resumed =
      opening.resuming && bars.length > 0
        ? new ResumedBars(this.bars.changesAfter(opening.after, symbols, bars))
        : undefined;
    const { added } = opening;
    const read = async (after: EventId): Promise<CatchUpPage> => {
      const history = await this.log.history(after, isWanted, HISTORY_PAGE);
      const page = added
        ? { ...history, events: history.events.filter(notBefore(added)) }
        : history;
      return resumed ? resumed.withPage(after, page) : page;
    };
    return {
      read,
      readInTurn: (after) => this.replays.run(() => read(after)),
      writable: () => stream.writer.whenWritable(),
      ended: () => stream.over,
      replayed: this.countReplayed,
      openingPage: () => {
        const { more } = opening;
        return more
          ? this.replays.run(() => Promise.resolve(more.more()))
          : Promise.resolve(undefined);
      },
      send: (frame) => stream.send(frame),
    };
  }

  private async opening(request: StreamRequest): Promise<Opening> {
    const { symbols, snapshot, resumeFrom, since } = request;
    const retry = this.config.RETRY_MS;
    if (resumeFrom !== undefined && (await this.log.canResumeFrom(resumeFrom))) {
      return this.resumed(request, resumeFrom);
    }
    if (resumeFrom !== undefined) {
      return this.reset(symbols, resumeFrom, {
        lastEventId: resumeFrom,
        reason: 'the last event id is unknown or older than the retained history',
      });
    }
    if (since !== undefined) {
      const after = await this.replayPointOf(since);
      // No id yet: until its first event, a client that comes back asks for the same time again.
      return after !== undefined
        ? { after, resuming: true, frames: [eventFrame({ retry })] }
        : this.reset(symbols, undefined, {
            since,
            reason: `the retained history does not reach back to ${new Date(since).toISOString()}`,
          });
    }
    const pages = this.pages(await this.latest.snapshot(symbols), undefined);
    const { head } = pages;
    return snapshot
      ? { after: head, resuming: false, frames: [pages.first(retry)], more: pages }
      : { after: head, resuming: false, frames: [eventFrame({ id: head, retry })] };
  }

  /**
   * A resume from `resumeFrom`: every event after it, but for the symbols it was not received
   * for, a snapshot first and then only their events after that snapshot. The snapshot carries
   * the resume point's id, on its last page only: a client cut before it has it all comes back
   * for it again, and one that has it resumes with the added symbols among those it had.
   */
  private async resumed(
    { symbols, resumeSymbols }: StreamRequest,
    resumeFrom: EventId,
  ): Promise<Opening> {
    const frames = [eventFrame({ id: resumeFrom, retry: this.config.RETRY_MS })];
    const added = addedSymbols(symbols, resumeSymbols);
    if (added === undefined) {
      return { after: resumeFrom, resuming: true, frames };
    }
    const snapshot = await this.latest.snapshot(added.selection);
    const pages = this.pages(snapshot, undefined, added, resumeFrom);
    frames.push(pages.first());
    return {
      after: resumeFrom,
      resuming: true,
      frames,
      more: pages,
      added: { symbols: added, at: snapshot.head },
    };
  }

  /**
   * A reset and a fresh snapshot. The reset repeats the client's own id when it came with one
   * (checked to be an event id): if the client drops before the snapshot is whole, it comes back
   * with that id and is reset again rather than resuming past a gap.
   */
  private async reset(
    symbols: StreamRequest['symbols'],
    resumeFrom: EventId | undefined,
    data: ResetData,
  ): Promise<Opening> {
    const pages = this.pages(await this.latest.snapshot(symbols), resumeFrom);
    this.counters.resets++;
    return {
      after: pages.head,
      resuming: false,
      frames: [
        eventFrame({
          event: STREAM_EVENTS.reset,
          id: resumeFrom,
          retry: this.config.RETRY_MS,
          data,
        }),
        pages.first(),
      ],
      more: pages,
    };
  }

  /** Where a replay from `since` starts, or undefined when history does not reach back to it. */
  private async replayPointOf(since: number): Promise<EventId | undefined> {
    let floor: EventId;
    try {
      floor = await this.log.historyFloor();
    } catch (error) {
      if (error instanceof HistoryGapError) {
        return undefined;
      }
      throw error;
    }
    const { head } = await this.latest.snapshot([]);
    return replayPoint(since, floor, head);
  }

  /**
   * `snapshot` as pages of the latest quote of each symbol (of `only`, when given) that has
   * traded, with its state and the day's figures; the last page carries `head`.
   */
  private pages(
    snapshot: Snapshot,
    before: EventId | undefined,
    only?: AddedSymbols,
    at: EventId = snapshot.head,
  ): SnapshotPages {
    const { quotes } = snapshot;
    const standingOf = standingsOf(snapshot);
    const taken = only ? quotes.filter((quote) => only.has(quote.symbol)) : quotes;
    return new SnapshotPages(taken, at, before, (quote) => ({
      ...quote,
      ...standingOf(quote.symbol),
    }));
  }
}
