import {
  STREAM_EVENTS,
  type EventId,
  type Quote,
  type SnapshotQuote,
} from '@tickstream/client/contract';
import { eventFrame, type Frame } from './wire/frame.js';

/** Quotes in one `snapshot` event: a page, like a page of a replay. */
export const SNAPSHOT_PAGE = 250;

/**
 * A snapshot as `snapshot` events of at most SNAPSHOT_PAGE quotes each, framed only when each is
 * written: a universe of any size neither blocks the process nor reaches a client faster than it
 * reads. Clients upsert each quote.
 *
 * Only the last page carries the snapshot's id. The pages before it carry `before`, the id the
 * client came with (none on a fresh stream): a client cut mid-snapshot comes back for a whole one
 * rather than resuming past the quotes it never got.
 */
export class SnapshotPages {
  private next = 0;

  constructor(
    private readonly quotes: readonly Quote[],
    readonly head: EventId,
    private readonly before: EventId | undefined,
    private readonly enrich: (quote: Quote) => SnapshotQuote,
  ) {}

  /** The first page, always (an empty snapshot is one page); `retry` goes on it when given. */
  first(retry?: number): Frame {
    return this.page(retry);
  }

  /** The next page, undefined once every page was taken. */
  more(): Frame | undefined {
    return this.next < this.quotes.length ? this.page() : undefined;
  }

  private page(retry?: number): Frame {
    const from = this.next;
    this.next = Math.min(this.quotes.length, from + SNAPSHOT_PAGE);
    const last = this.next === this.quotes.length;
    return eventFrame({
      event: STREAM_EVENTS.snapshot,
      id: last ? this.head : this.before,
      retry,
      data: { quotes: this.quotes.slice(from, this.next).map(this.enrich) },
    });
  }
}
