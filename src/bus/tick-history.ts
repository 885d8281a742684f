import { compareEventIds, isEventId, type EventId } from '@tickstream/client/contract';
import type { HistoryPage } from './history-page.js';
import type { MarketEvent } from './market-event.js';

/**
 * Whether resuming after `id` loses nothing, when every tick after `floor` up to `head` is held:
 * an id below the floor would skip evicted ticks, one above the head was never handed out.
 */
export function isResumable(id: string, floor: EventId, head: EventId): boolean {
  return isEventId(id) && compareEventIds(floor, id) <= 0 && compareEventIds(id, head) <= 0;
}

/**
 * The last `capacity` events, oldest first, for resume. It covers every event after `floor`: the
 * id of the newest evicted tick, or before any eviction the id the bus started from. A resume
 * point below the floor would lose ticks, so it is refused.
 */
export class TickHistory {
  private readonly ring: MarketEvent[] = [];
  private start = 0;
  private floor: EventId;

  constructor(
    private readonly capacity: number,
    origin: EventId,
  ) {
    this.floor = origin;
  }

  get size(): number {
    return this.ring.length;
  }

  /** The newest id, or the floor while the history is empty. */
  get head(): EventId {
    return this.ring.length === 0 ? this.floor : this.at(this.ring.length - 1).id;
  }

  append(event: MarketEvent): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(event);
      return;
    }
    this.floor = this.ring[this.start].id;
    this.ring[this.start] = event;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The id after which every event is held. */
  get oldest(): EventId {
    return this.floor;
  }

  /** Whether every tick after `id` is still held. */
  covers(id: string): boolean {
    return isResumable(id, this.floor, this.head);
  }

  /**
   * Up to `limit` events after `id`, oldest first, as a page of those `wanted`; undefined when `id`
   * is not covered (evicted, from before this bus started, or from the future).
   */
  page(id: EventId, wanted: (symbol: string) => boolean, limit: number): HistoryPage | undefined {
    if (!this.covers(id)) {
      return undefined;
    }
    const events: MarketEvent[] = [];
    const first = this.firstAfter(id);
    const end = Math.min(this.ring.length, first + limit);
    for (let i = first; i < end; i++) {
      const event = this.at(i);
      if (wanted(event.symbol)) {
        events.push(event);
      }
    }
    return {
      events,
      next: end > first ? this.at(end - 1).id : id,
      end: end === this.ring.length,
    };
  }

  private at(index: number): MarketEvent {
    return this.ring[(this.start + index) % this.ring.length];
  }

  /** Binary search: the index of the oldest tick newer than `id`. */
  private firstAfter(id: EventId): number {
    let low = 0;
    let high = this.ring.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareEventIds(this.at(mid).id, id) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
