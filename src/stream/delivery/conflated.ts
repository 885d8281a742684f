import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { Observer } from 'rxjs';
import type { ChannelConflation, SupersededCount } from './channel-conflation.js';
import type { Conflations } from './conflations.js';
import type { Channel } from './channel.js';
import type { CurrentBars, Delivery, StreamSink } from './delivery.js';
import { itemFrame, type Frame } from '../wire/frame.js';
import { LatestByKey } from '../wire/latest-by-key.js';
import { supersede, supersedeKey, type StreamItem } from '../wire/stream-item.js';

const idOf = (item: StreamItem): EventId => item.id;

/** What a throttled stream's delivery is made of. */
export interface ConflatedParts {
  channels: readonly Channel[];
  windowMs: number;
  shared: Conflations;
  /** The id the stream opened after. */
  after: EventId;
  sink: StreamSink;
  counts: SupersededCount;
  currentBars: CurrentBars;
}

/**
 * throttle=N: per key (a symbol's tick, a bar) at most one item per window, the latest, through
 * the channel's shared conflation; status changes are never dropped. History comes conflated
 * too: the latest per key, sent once it is all read; closed bars with their page.
 *
 * Each item is framed with the stream's watermark as its id: every item of the stream's channels
 * up to it has been sent or superseded by one sent, so resuming from it never loses a latest
 * price, even while other symbols' items are held back in their windows.
 */
export class Conflated implements Delivery, Observer<Frame> {
  private conflations: ChannelConflation[] = [];
  /** History and early releases, the latest per key, until the stream goes live. */
  private latest: LatestByKey<StreamItem> | undefined = new LatestByKey(idOf, supersede);
  /** Every item up to this id has reached the client with the opening or the catch-up. */
  private covered: EventId;
  /** The last id sent. */
  private watermark: EventId;

  private readonly channels: readonly Channel[];
  private readonly windowMs: number;
  private readonly shared: Conflations;
  private readonly sink: StreamSink;
  private readonly counts: SupersededCount;
  private readonly currentBars: CurrentBars;

  constructor({ channels, windowMs, shared, after, sink, counts, currentBars }: ConflatedParts) {
    this.channels = channels;
    this.windowMs = windowMs;
    this.shared = shared;
    this.sink = sink;
    this.counts = counts;
    this.currentBars = currentBars;
    this.covered = after;
    this.watermark = after;
  }

  /**
   * A closed bar goes out with its page, at the id the stream resumed from: nothing later can
   * supersede it but a correction, which goes out too. Only what may still change (a symbol's
   * tick, an open bar) waits for the latest, so what goes out at once when the stream goes live
   * is bounded by its symbols, not by how far back it resumed (a resume with 1s bars from an hour
   * back lacks 3,600 closed bars a symbol).
   */
  replay(events: readonly StreamItem[]): void {
    let superseded = 0;
    for (const event of events) {
      if (event.kind === 'bar' && event.bar.final) {
        superseded += this.latest?.delete(supersedeKey(event)) ? 1 : 0;
        this.sink.send(itemFrame(event, this.watermark));
      } else {
        superseded += this.keep(event) ? 1 : 0;
      }
    }
    this.counts.superseded(superseded);
  }

  join(): void {
    this.conflations = this.shared.join(this.channels, this.windowMs, this);
  }

  /** Sends the latest of history and of the early releases per key, oldest first, then the bars. */
  goLive(covered: EventId): void {
    const from = this.covered;
    const burst = (this.latest?.take() ?? []).filter((item) => compareEventIds(item.id, from) > 0);
    this.latest = undefined;
    this.covered = covered;
    // Until the last of them is out, no id past `from` is safe to claim.
    burst.forEach((item, i) => {
      const watermark = i < burst.length - 1 ? this.watermark : this.advance(item.id);
      this.sink.send(itemFrame(item, watermark));
    });
    const bars = this.currentBars();
    if (bars.length > 0) {
      const watermark = this.advance(covered);
      bars.forEach((bar) => this.sink.send(itemFrame(bar, watermark)));
    }
  }

  leave(): void {
    this.conflations.forEach((conflation) => conflation.leave(this));
  }

  next(frame: Frame): void {
    const { item } = frame;
    if (item === undefined) {
      // Not an item's: nothing to conflate.
      this.sink.send(frame);
    } else if (this.latest) {
      this.counts.superseded(this.keep(item) ? 1 : 0);
    } else if (compareEventIds(item.id, this.covered) > 0) {
      const watermark = this.advance(item.id);
      this.sink.send(watermark === item.id ? frame : itemFrame(item, watermark));
    } else if (item.kind === 'bar') {
      // A bar change that history already covered, but the bars sent did not.
      this.sink.send(itemFrame(item, this.advance(this.covered)));
    }
  }

  error(error: unknown): void {
    this.sink.fail(error);
  }

  complete(): void {
    this.sink.complete();
  }

  private keep(item: StreamItem): boolean {
    return this.latest?.set(supersedeKey(item), item) ?? false;
  }

  /**
   * The id to send with the item `sent`: below every item still waiting in one of the stream's
   * conflations, but never below what the client already has.
   */
  private advance(sent: EventId): EventId {
    let mark = sent;
    let waiting = false;
    for (const conflation of this.conflations) {
      const below = conflation.pendingBelow;
      if (below !== undefined && (!waiting || compareEventIds(below, mark) < 0)) {
        mark = below;
        waiting = true;
      }
    }
    if (waiting && compareEventIds(mark, this.covered) < 0) {
      mark = this.covered;
    }
    if (compareEventIds(mark, this.watermark) > 0) {
      this.watermark = mark;
    }
    return this.watermark;
  }
}
