import { formatEventId, type EventId, type EventIdParts } from '@tickstream/client/contract';

/**
 * Hands out strictly increasing ids from the wall clock. A clock that steps back keeps the last
 * millisecond and counts on, as Redis does.
 */
export class EventIdClock {
  private last: EventIdParts;
  /** The id before every id this clock will hand out. */
  readonly origin: EventId;

  constructor(now: number = Date.now()) {
    this.last = { ms: now, seq: 0 };
    this.origin = formatEventId(this.last);
  }

  next(now: number = Date.now()): EventId {
    this.last =
      now > this.last.ms ? { ms: now, seq: 0 } : { ms: this.last.ms, seq: this.last.seq + 1 };
    return formatEventId(this.last);
  }
}
