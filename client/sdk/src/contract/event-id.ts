/**
 * Event ids are `"<ms>-<seq>"`, the shape of Redis Stream entry ids: a millisecond timestamp and
 * a sequence number within it, both decimal. Every instance hands out ids that order the same
 * way, so a client can resume on any instance. Clients treat an id as opaque and send back the
 * last one they received.
 */
export type EventId = string;

/** The longest id: two safe integers (16 digits each at most) and the dash. */
export const MAX_EVENT_ID_LENGTH = 33;

const EVENT_ID = /^(\d{1,16})-(\d{1,16})$/;

export interface EventIdParts {
  ms: number;
  seq: number;
}

/** The parts of `id`, or undefined when it is not an event id. */
export function parseEventId(id: string): EventIdParts | undefined {
  const match = EVENT_ID.exec(id);
  if (!match) {
    return undefined;
  }
  const ms = Number(match[1]);
  const seq = Number(match[2]);
  return Number.isSafeInteger(ms) && Number.isSafeInteger(seq) ? { ms, seq } : undefined;
}

/** Whether `value` is an event id: the one check for every id a client sends. */
export function isEventId(value: unknown): value is EventId {
  return typeof value === 'string' && parseEventId(value) !== undefined;
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
 * event has.
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
