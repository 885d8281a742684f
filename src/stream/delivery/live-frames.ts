import type { Observable, Observer, Subscription } from 'rxjs';
import { FanOut } from './fan-out.js';
import { itemFrame, type ItemFrame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';

/**
 * Unthrottled streams: an item's frame, id included, is the same for every one of them, so each
 * channel's items are framed once and handed to all its unthrottled streams. An item then costs
 * each stream no more than taking the frame.
 */
export class LiveFrames {
  private readonly byChannel = new Map<string, ChannelFrames>();

  constructor(private readonly sourceOf: (channel: string) => Observable<StreamItem>) {}

  /** Hands `reader` the frames of `channel`'s live items until it leaves or they end. */
  join(channel: string, reader: Observer<ItemFrame>): void {
    let frames = this.byChannel.get(channel);
    if (!frames) {
      const created = new ChannelFrames(() => {
        if (this.byChannel.get(channel) === created) {
          this.byChannel.delete(channel);
        }
      });
      this.byChannel.set(channel, created);
      created.follow(this.sourceOf(channel));
      frames = created;
    }
    frames.readers.add(reader);
  }

  leave(channel: string, reader: Observer<ItemFrame>): void {
    const frames = this.byChannel.get(channel);
    if (frames?.readers.delete(reader) && frames.readers.size === 0) {
      frames.end();
    }
  }
}

/** One channel's live items, framed once, while any stream reads them. */
class ChannelFrames implements Observer<StreamItem> {
  readonly readers = new FanOut<ItemFrame>();
  private source: Subscription | undefined;
  private ended = false;

  constructor(private readonly onEnd: () => void) {}

  follow(items: Observable<StreamItem>): void {
    const source = items.subscribe(this);
    // A source that ended while subscribing has ended this already.
    if (this.ended) {
      source.unsubscribe();
    } else {
      this.source = source;
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

  end(): void {
    if (!this.ended) {
      this.ended = true;
      this.source?.unsubscribe();
      this.onEnd();
    }
  }
}
