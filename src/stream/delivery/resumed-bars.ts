import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { BarChangeReader } from '../../market-data/bars/bar-changes.js';
import { toBarUpdate, type BarUpdate } from '../../market-data/bars/bar-update.js';
import type { StreamItem } from '../wire/stream-item.js';
import type { CatchUpPage } from './catch-up.js';

/**
 * The bars a resuming stream lacks, handed out with the pages of its catch-up rather than at
 * once: each page of history up to an id comes with the bars last changed by then, merged in id
 * order, so a client that stops reading holds up its bars as it holds up its ticks, and an id it
 * has covers every bar change up to it.
 *
 * They are read from the book's change log page by page, as the book holds them then: a bar that
 * changes many times while the stream catches up is sent once per page its last change falls
 * in, and a page costs the changes it covers, however far back the stream resumed.
 */
export class ResumedBars {
  constructor(private readonly changes: BarChangeReader) {}

  /**
   * `page` of history read after `after`, with the bars due by its end merged in id order: a bar
   * after the tick that changed it. A bar whose change reached this instance only after history
   * went past it (the Redis bus's read loop may lag) claims no more than `after`.
   */
  withPage(after: EventId, page: CatchUpPage): CatchUpPage {
    const bars = this.changes
      .upTo(page.next)
      .map(({ symbol, interval, bar }) => toBarUpdate(symbol, interval, bar));
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
}

const claimed = (bar: BarUpdate, after: EventId): BarUpdate =>
  compareEventIds(bar.id, after) > 0 ? bar : { ...bar, id: after };
