import type { Observable, Observer, Subscription } from 'rxjs';
import { KeyedHub, type Lease } from '../../bus/keyed-hub.js';
import { channelKey, type Channel, type ChannelSources } from './channel.js';
import { FanOut } from './fan-out.js';
import { itemFrame, type Frame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';

/** Replayed items whose frames are kept for the next stream that replays them. */
const REPLAYED_KEPT = 10_000;

/**
 * Unthrottled streams: an item's frame, id included, is the same for every one of them, so each
 * channel's items are framed once and handed to all its unthrottled streams. An item then costs
 * each stream no more than taking the frame.
 *
 * The same holds for items replayed from history: the frames of the last REPLAYED_KEPT items
 * replayed are kept, so that streams resuming from near one point (a storm of resumers after a
 * restart of a proxy) take one frame per item rather than each making its own. On the memory
 * bus, history hands every reader the same items; on Redis each read parses its own, and the
 * frames are made anew.
 */
export class LiveFrames {
  private readonly hub: KeyedHub<Channel, ChannelFrames>;
  private readonly replayedFrames = new Map<StreamItem, Frame>();

  constructor(sources: ChannelSources) {
    this.hub = new KeyedHub(channelKey, {
      make: (channel, lease) => new ChannelFrames(sources.sourceOf(channel), lease),
    });
  }

  /** Hands `reader` the frames of `channel`'s live items until it leaves or they end. */
  join(channel: Channel, reader: Observer<Frame>): void {
    this.hub.acquire(channel).add(reader);
  }

  leave(channel: Channel, reader: Observer<Frame>): void {
    this.hub.find(channel)?.remove(reader);
  }

  /**
   * The frame of an item replayed from history, with its own id. A bar of a resume is the
   * stream's own copy (see ResumedBars): framed for it alone.
   */
  frameOfReplayed(item: StreamItem): Frame {
    if (item.kind === 'bar') {
      return itemFrame(item);
    }
    let frame = this.replayedFrames.get(item);
    if (frame === undefined) {
      frame = itemFrame(item);
      this.replayedFrames.set(item, frame);
      if (this.replayedFrames.size > REPLAYED_KEPT) {
        // The oldest kept: a Map iterates in the order its keys were set.
        for (const oldest of this.replayedFrames.keys()) {
          this.replayedFrames.delete(oldest);
          break;
        }
      }
    }
    return frame;
  }
}

/** One channel's live items, framed once, while any stream reads them. */
class ChannelFrames implements Observer<StreamItem> {
  private readonly readers = new FanOut<Frame>();
  private source: Subscription | undefined;
  private ended = false;

  constructor(
    private readonly items: Observable<StreamItem>,
    private readonly lease: Lease,
  ) {}

  add(reader: Observer<Frame>): void {
    this.readers.add(reader);
    if (this.readers.size === 1 && !this.ended) {
      const source = this.items.subscribe(this);
      // A source that ended while subscribing has ended this already.
      if (this.ended) {
        source.unsubscribe();
      } else {
        this.source = source;
      }
    }
  }

  remove(reader: Observer<Frame>): void {
    if (this.readers.delete(reader) && this.readers.size === 0) {
      this.end();
    }
  }

  next(item: StreamItem): void {
    this.readers.next(itemFrame(item));
  }

  error(error: unknown): void {
    this.end();
    this.readers.error(error);
  }

  complete(): void {
    this.end();
    this.readers.complete();
  }

  private end(): void {
    if (!this.ended) {
      this.ended = true;
      this.source?.unsubscribe();
      this.lease.release();
    }
  }
}
