import {
  compareEventIds,
  formatEventId,
  precedingId,
  type EventId,
} from '@tickstream/client/contract';

/**
 * Where a replay from the time `since` (ms since the epoch) resumes: the id after which history
 * holds every event whose id time is `since` or later, given history's `floor` and `head`; or
 * undefined when history does not reach back to `since`. An id's time is its first part, so the
 * point is the id just before `<since>-0`, or the head when nothing that late exists yet.
 */
export function replayPoint(since: number, floor: EventId, head: EventId): EventId | undefined {
  const before = since > 0 ? precedingId(formatEventId({ ms: since, seq: 0 })) : '0-0';
  if (compareEventIds(floor, before) > 0) {
    return undefined;
  }
  return compareEventIds(before, head) < 0 ? before : head;
}
