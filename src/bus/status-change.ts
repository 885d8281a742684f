import type { EventId, StatusData } from '@tickstream/client/contract';

/** A change of a symbol's trading state, numbered by the bus like a tick, kept in its history. */
export interface StatusChange {
  kind: 'status';
  id: EventId;
  symbol: string;
  status: StatusData;
  /** `JSON.stringify(status)`, made once. */
  data: string;
}

export function toStatusChange(
  id: EventId,
  status: StatusData,
  data: string = JSON.stringify(status),
): StatusChange {
  return { kind: 'status', id, symbol: status.symbol, status, data };
}
