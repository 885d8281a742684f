import { parseEventId } from '@tickstream/client/contract';

/** Seconds since the bus numbered an event: its id starts with the ms it was numbered at. */
export function secondsSince(id: string | undefined, now: number): number | undefined {
  const parts = id === undefined ? undefined : parseEventId(id);
  return parts && Math.max(0, now - parts.ms) / 1000;
}
