/**
 * Event ids are `"<ms>-<seq>"`, the shape of Redis Stream entry ids: a millisecond timestamp and
 * a sequence number within it, both decimal. Every instance hands out ids that order the same
 * way, so a client can resume on any instance. Clients treat an id as opaque and send back the
 * last one they received.
 */
export type EventId = string;

/** The longest id: two numbers of at most 16 digits each, and the dash. */
export const MAX_EVENT_ID_LENGTH = 33;

const EVENT_ID = /^(\d{1,16})-(\d{1,16})$/;

export interface EventIdParts {
  ms: number;
  seq: number;
}

/**
 * The parts of `id` as numbers, or undefined when it is not an event id or a part is beyond what
 * a number holds exactly (above 2^53). Every id a server hands out has exact parts; an id a
 * client sends need not, so whether it is an id at all is isEventId's to say, not this.
 */
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
  return typeof value === 'string' && EVENT_ID.test(value);
}

export function formatEventId({ ms, seq }: EventIdParts): EventId {
  return `${ms}-${seq}`;
}

/**
 * Negative when `a` comes before `b`, exactly for every id (16 digits a part). Both must be valid
 * ids: this runs for every tick a throttled stream is sent, so it splits at the dash rather than
 * matching the whole shape, and only what is not a number at all is caught.
 */
export function compareEventIds(a: EventId, b: EventId): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  if (dashA < 1 || dashB < 1) {
    throw new Error(`cannot compare event ids "${a}" and "${b}"`);
  }
  return (
    compareDecimals(a.slice(0, dashA), b.slice(0, dashB), a, b) ||
    compareDecimals(a.slice(dashA + 1), b.slice(dashB + 1), a, b)
  );
}

/**
 * The sign of `x - y`, two decimal parts of the ids `a` and `b`. Numbers order them exactly
 * unless both round to the same number above 2^53; only then are they read as BigInts, so that
 * the common case costs what it always did.
 */
function compareDecimals(x: string, y: string, a: EventId, b: EventId): number {
  const byNumber = Number(x) - Number(y);
  if (Number.isNaN(byNumber)) {
    throw new Error(`cannot compare event ids "${a}" and "${b}"`);
  }
  if (byNumber !== 0 || Number(x) <= Number.MAX_SAFE_INTEGER) {
    return byNumber;
  }
  const byBigInt = BigInt(x) - BigInt(y);
  return byBigInt === 0n ? 0 : byBigInt < 0n ? -1 : 1;
}

/**
 * The largest seq a server hands out: Redis numbers the entries of a millisecond from 0, and
 * never comes near it.
 */
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * The id just before `id`: resuming from it starts with `id` itself. It need not be an id any
 * event has. Exact for every id, as BigInts: a part may be above 2^53.
 */
export function precedingId(id: EventId): EventId {
  const match = EVENT_ID.exec(id);
  if (!match) {
    throw new Error(`"${id}" is not an event id`);
  }
  const ms = BigInt(match[1]);
  const seq = BigInt(match[2]);
  if (seq > 0n) {
    return `${ms}-${seq - 1n}`;
  }
  if (ms > 0n) {
    return `${ms - 1n}-${MAX_SEQ}`;
  }
  throw new Error('no id comes before 0-0');
}
