import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { Observable, Subscription } from 'rxjs';
import { toBarUpdate, type BarUpdate, type HeldBar } from '../../market-data/bars/bar-update.js';
import { barKey, supersedeKey, type StreamItem } from '../wire/stream-item.js';
import type { CatchUpPage } from './catch-up.js';

/** A bar as this holds it: as the book still holds it, or as a live change left it. */
type DueBar = HeldBar | BarUpdate;

const changedByOf = (bar: DueBar): EventId => ('kind' in bar ? bar.id : bar.bar.changedBy);

/** A bar's change, in the order the bars fall due; stale once the bar changed again. */
interface Due {
  key: string;
  changedBy: EventId;
}

/** Queue entries past which a queue mostly of stale entries is rebuilt from the bars held. */
const COMPACT_AT = 1024;

/**
 * The bars a resuming stream lacks, handed out with the pages of its catch-up rather than at
 * once: each page of history up to an id comes with the bars last changed by then, merged in id
 * order, so a client that stops reading holds up its bars as it holds up its ticks, and an id it
 * has covers every bar change up to it.
 *
 * It starts with the bars changed after the resume point, as the book holds them, and follows
 * their live changes until the stream goes live: each bar is kept once, in its latest state, so
 * a bar that changes many times while the stream catches up is sent once per page it is due in.
 * The bars wait in the order they fall due, so a page costs what it takes, not a look at every
 * bar still held (a resume from far back holds tens of thousands of them for hundreds of pages).
 */
export class ResumedBars {
  private readonly latest = new Map<string, DueBar>();
  private queue: Due[] = [];
  private head = 0;
  private sorted = true;
  private readonly live: Subscription;

  constructor(held: readonly HeldBar[], changes: Observable<StreamItem>) {
    for (const bar of held) {
      this.hold(barKey(bar.symbol, bar.interval, bar.bar.time), bar);
    }
    this.live = changes.subscribe((item) => {
      if (item.kind === 'bar') {
        this.hold(supersedeKey(item), item);
      }
    });
  }

  /**
   * `page` of history read after `after`, with the bars due by its end merged in id order: a bar
   * after the tick that changed it. A bar whose change reached this instance only after history
   * went past it (the Redis bus's read loop may lag) claims no more than `after`.
   */
  withPage(after: EventId, page: CatchUpPage): CatchUpPage {
    const bars = this.upTo(page.next);
    if (bars.length === 0) {
      return page;
    }
    const events: StreamItem[] = [];
    let b = 0;
    for (const event of page.events) {
      for (; b < bars.length && compareEventIds(bars[b].id, event.id) < 0; b++) {
        events.push(claimed(bars[b], after));
      }
      events.push(event);
    }
    for (; b < bars.length; b++) {
      events.push(claimed(bars[b], after));
    }
    return { ...page, events };
  }

  /** Stops following the bars: the stream reads them live now, or has ended. */
  close(): void {
    this.live.unsubscribe();
    this.latest.clear();
    this.queue = [];
    this.head = 0;
  }

  private hold(key: string, bar: DueBar): void {
    this.latest.set(key, bar);
    const changedBy = changedByOf(bar);
    const last = this.queue.at(-1);
    this.sorted &&= last === undefined || compareEventIds(last.changedBy, changedBy) <= 0;
    this.queue.push({ key, changedBy });
    if (this.queue.length - this.head > 2 * this.latest.size + COMPACT_AT) {
      this.compact();
    }
  }

  /** The bars last changed up to `id`, oldest change first, each as it stands now; forgets them. */
  private upTo(id: EventId): BarUpdate[] {
    if (!this.sorted) {
      this.compact();
    }
    const taken: BarUpdate[] = [];
    const { queue, latest } = this;
    while (this.head < queue.length && compareEventIds(queue[this.head].changedBy, id) <= 0) {
      const { key, changedBy } = queue[this.head++];
      const bar = latest.get(key);
      // Otherwise the bar changed again since: a later entry stands for it.
      if (bar !== undefined && changedByOf(bar) === changedBy) {
        taken.push('kind' in bar ? bar : toBarUpdate(bar.symbol, bar.interval, bar.bar));
        latest.delete(key);
      }
    }
    if (this.head > COMPACT_AT && 2 * this.head > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  /** The queue anew from the bars held, in the order they fall due. */
  private compact(): void {
    this.queue = [...this.latest].map(([key, bar]) => ({ key, changedBy: changedByOf(bar) }));
    this.queue.sort((a, b) => compareEventIds(a.changedBy, b.changedBy));
    this.head = 0;
    this.sorted = true;
  }
}

const claimed = (bar: BarUpdate, after: EventId): BarUpdate =>
  compareEventIds(bar.id, after) > 0 ? bar : { ...bar, id: after };
