import type { Candle, EventId } from '@tickstream/client/contract';

/** A bar as the server keeps it: the candle, whether it has closed, and what last changed it. */
export interface Bar extends Candle {
  final: boolean;
  /** The id of the last event that changed the bar: a tick in it, or the event that closed it. */
  changedBy: EventId;
}
