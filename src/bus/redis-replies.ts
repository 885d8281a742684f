import {
  compareEventIds,
  type EventId,
  type Quote,
  type StatusData,
} from '@tickstream/client/contract';
import type { MarketEvent } from './market-event.js';
import { toStatusChange } from './status-change.js';
import { toTick } from './tick.js';

/** The field of a stream entry that holds a tick's quote JSON. */
export const QUOTE_FIELD = 'q';
/** The field of a stream entry that holds a status change's JSON. */
export const STATUS_FIELD = 's';

/** The ids between which a stream still holds every entry it was given. */
export interface StreamBounds {
  /** The id the stream was created at: no id it handed out is older. */
  origin: EventId;
  /** Every entry after this id is still in the stream. */
  floor: EventId;
  /** The newest id the stream handed out. */
  head: EventId;
}

export class UnexpectedReplyError extends Error {
  constructor(what: string, reply: unknown) {
    super(`unexpected Redis reply for ${what}: ${JSON.stringify(reply)?.slice(0, 200)}`);
  }
}

function isId(value: unknown): value is EventId {
  return typeof value === 'string' && /^\d+-\d+$/.test(value);
}

/**
 * Reads XINFO STREAM. The stream is created with an origin entry deleted at once, so its
 * max-deleted-entry-id is where its history begins. Trimming (MAXLEN ~) does not move that
 * mark, so once anything besides the origin is gone the floor is the first entry still held:
 * conservative by the trimmed ids just below it, never past a lost tick.
 */
export function parseStreamBounds(reply: unknown): StreamBounds {
  if (!Array.isArray(reply)) {
    throw new UnexpectedReplyError('XINFO STREAM', reply);
  }
  const fields = new Map<unknown, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) {
    fields.set(reply[i], reply[i + 1]);
  }
  const head = fields.get('last-generated-id');
  const deleted = fields.get('max-deleted-entry-id');
  const length = fields.get('length');
  const added = fields.get('entries-added');
  const first = fields.get('first-entry');
  if (!isId(head) || !isId(deleted) || typeof length !== 'number' || typeof added !== 'number') {
    throw new UnexpectedReplyError('XINFO STREAM', reply);
  }
  const trimmed = added - 1 > length;
  const firstId: unknown = Array.isArray(first) ? first[0] : head;
  if (!trimmed) {
    return { origin: deleted, floor: deleted, head };
  }
  if (!isId(firstId)) {
    throw new UnexpectedReplyError('XINFO STREAM', reply);
  }
  const floor = compareEventIds(firstId, deleted) > 0 ? firstId : deleted;
  return { origin: deleted, floor, head };
}

/** Reads stream entries (`[[id, [field, value, ...]], ...]`, as XRANGE returns) as events. */
export function parseEntries(reply: unknown): MarketEvent[] {
  if (!Array.isArray(reply)) {
    throw new UnexpectedReplyError('stream entries', reply);
  }
  return reply.map((entry: unknown) => {
    if (!Array.isArray(entry) || !isId(entry[0]) || !Array.isArray(entry[1])) {
      throw new UnexpectedReplyError('a stream entry', entry);
    }
    const [field, data] = entry[1] as unknown[];
    if (typeof data !== 'string') {
      throw new UnexpectedReplyError('a stream entry', entry);
    }
    if (field === QUOTE_FIELD) {
      return toTick(entry[0], JSON.parse(data) as Quote, data);
    }
    if (field === STATUS_FIELD) {
      return toStatusChange(entry[0], JSON.parse(data) as StatusData, data);
    }
    throw new UnexpectedReplyError('a stream entry', entry);
  });
}

/** Reads the XREAD reply for one stream: its new entries, none when it timed out. */
export function parseRead(reply: unknown): MarketEvent[] {
  if (reply === null) {
    return [];
  }
  if (!Array.isArray(reply) || !Array.isArray(reply[0])) {
    throw new UnexpectedReplyError('XREAD', reply);
  }
  const [, entries] = reply[0] as unknown[];
  return parseEntries(entries);
}
