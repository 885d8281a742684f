import type { EventId } from '@tickstream/client/contract';
import type { MarketEvent } from './market-event.js';

/**
 * One step of a replay: the wanted events among the next entries of history. A replay reads
 * history a page at a time, so that resuming from far back costs a bounded amount of memory.
 */
export interface HistoryPage {
  /** The wanted events of the page, oldest first. */
  events: MarketEvent[];
  /** The last id the page looked at, wanted or not: the next page starts after it. */
  next: EventId;
  /** Whether the page reached the newest tick the bus had. */
  end: boolean;
}
