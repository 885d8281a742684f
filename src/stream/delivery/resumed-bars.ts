import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { Observable, Subscription } from 'rxjs';
import { toBarUpdate, type BarUpdate, type HeldBar } from '../../market-data/bars/bar-update.js';
import { barKey, supersedeKey, type StreamItem } from '../wire/stream-item.js';
import type { CatchUpPage } from './catch-up.js';

/**
 * The bars a resuming stream lacks, handed out with the pages of its catch-up rather than at
 * once: each page of history up to an id comes with the bars last changed by then, merged in id
 * order, so a client that stops reading holds up its bars as it holds up its ticks, and an id it
 * has covers every bar change up to it.
 *
 * It starts with the bars changed after the resume point, as the book holds them, and follows
 * their live changes until the stream goes live: each bar is kept once, in its latest state, so
 * a bar that changes many times while the stream catches up is sent once per page it is due in.
 */
export class ResumedBars {
  private readonly due = new Map<string, HeldBar | BarUpdate>();
  private readonly live: Subscription;

  constructor(held: readonly HeldBar[], changes: Observable<StreamItem>) {
    for (const bar of held) {
      this.due.set(barKey(bar.symbol, bar.interval, bar.bar.time), bar);
    }
    this.live = changes.subscribe((item) => {
      if (item.kind === 'bar') {
        this.due.set(supersedeKey(item), item);
      }
    });
  }

  /** The bars last changed up to `id`, oldest change first, each as it stands now; forgets them. */
  private upTo(id: EventId): BarUpdate[] {
    const taken: BarUpdate[] = [];
    for (const [key, bar] of this.due) {
      const changedBy = 'kind' in bar ? bar.id : bar.bar.changedBy;
      if (compareEventIds(changedBy, id) <= 0) {
        taken.push('kind' in bar ? bar : toBarUpdate(bar.symbol, bar.interval, bar.bar));
        this.due.delete(key);
      }
    }
    return taken.sort((a, b) => compareEventIds(a.id, b.id));
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
    this.due.clear();
  }
}

const claimed = (bar: BarUpdate, after: EventId): BarUpdate =>
  compareEventIds(bar.id, after) > 0 ? bar : { ...bar, id: after };
