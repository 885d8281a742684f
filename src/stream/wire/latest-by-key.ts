import { compareEventIds, type EventId } from '@tickstream/client/contract';

/**
 * The latest value of each key (a symbol), handed back oldest first: what a conflated replay
 * keeps of history, and what a client that is not reading keeps of its ticks. Either way only a
 * price that a newer price of the same symbol replaced is ever dropped. `merge` says what stands
 * for an older value and the newer one that replaces it (the newer, unless it says otherwise).
 */
export class LatestByKey<T> {
  private readonly latest = new Map<string, T>();

  constructor(
    private readonly orderOf: (value: T) => EventId,
    private readonly merge: (older: T, newer: T) => T = (_, newer) => newer,
  ) {}

  get size(): number {
    return this.latest.size;
  }

  /** Keeps `value` unless its key already has a newer one; true when it replaced one. */
  set(key: string, value: T): boolean {
    const kept = this.latest.get(key);
    if (kept !== undefined && compareEventIds(this.orderOf(kept), this.orderOf(value)) > 0) {
      return true;
    }
    this.latest.set(key, kept === undefined ? value : this.merge(kept, value));
    return kept !== undefined;
  }

  /** Forgets `key`'s value; true when there was one. */
  delete(key: string): boolean {
    return this.latest.delete(key);
  }

  /** Every key's latest value, oldest first, and forgets them. */
  take(): T[] {
    const values = [...this.latest.values()].sort((a, b) =>
      compareEventIds(this.orderOf(a), this.orderOf(b)),
    );
    this.latest.clear();
    return values;
  }
}
