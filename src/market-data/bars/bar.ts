import type { Candle, EventId } from '@tickstream/client/contract';

/** A bar as the server keeps it: the candle, whether it has closed, and what last changed it. */
export interface Bar extends Candle {
  final: boolean;
  /** The id of the last event that changed the bar: a tick in it, or the event that closed it. */
  changedBy: EventId;
  /** The first and the last of its ticks, by time and then id: they give the open and close. */
  first: TickOrder;
  last: TickOrder;
  /** The number of its entry in the book's change log (BarChanges); 0 while it has none. */
  seq: number;
}

/** Where a tick stands among a bar's ticks: by its time, then, for ticks of one time, its id. */
export interface TickOrder {
  ts: number;
  id: EventId;
}
