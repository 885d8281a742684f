/**
 * Event ids are `"<ms>-<seq>"`, the shape of Redis Stream entry ids, so that both buses hand
 * clients ids that order the same way and a client can resume on any instance.
 */
export type EventId = string;

const EVENT_ID = /^(\d{1,16})-(\d{1,16})$/;

export interface EventIdParts {
  ms: number;
  seq: number;
}

export function parseEventId(id: string): EventIdParts | undefined {
  const match = EVENT_ID.exec(id);
  if (!match) {
    return undefined;
  }
  const ms = Number(match[1]);
  const seq = Number(match[2]);
  return Number.isSafeInteger(ms) && Number.isSafeInteger(seq) ? { ms, seq } : undefined;
}

export function formatEventId({ ms, seq }: EventIdParts): EventId {
  return `${ms}-${seq}`;
}

/**
 * Negative when `a` comes before `b`. Both must be valid ids: this runs for every tick a
 * throttled stream is sent, so it splits at the dash rather than matching the whole shape, and
 * only what is not a number at all is caught.
 */
export function compareEventIds(a: EventId, b: EventId): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  const byMs = Number(a.slice(0, dashA)) - Number(b.slice(0, dashB));
  const bySeq = Number(a.slice(dashA + 1)) - Number(b.slice(dashB + 1));
  if (dashA < 1 || dashB < 1 || Number.isNaN(byMs) || Number.isNaN(bySeq)) {
    throw new Error(`cannot compare event ids "${a}" and "${b}"`);
  }
  return byMs || bySeq;
}

/** The largest seq an id can have: Number's safe integers, which Redis's 64-bit seqs contain. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * The id just before `id`: resuming from it starts with `id` itself. It need not be an id any
 * tick has.
 */
export function precedingId(id: EventId): EventId {
  const parts = parseEventId(id);
  if (!parts) {
    throw new Error(`"${id}" is not an event id`);
  }
  const { ms, seq } = parts;
  if (seq > 0) {
    return formatEventId({ ms, seq: seq - 1 });
  }
  if (ms > 0) {
    return formatEventId({ ms: ms - 1, seq: MAX_SEQ });
  }
  throw new Error('no id comes before 0-0');
}

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
