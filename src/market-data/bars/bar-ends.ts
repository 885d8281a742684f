import type { CandleInterval } from '@tickstream/client/contract';

/** When an open bar ends, and whose bar it is. */
export interface BarEnd {
  /** ms since the epoch. */
  end: number;
  symbol: string;
  interval: CandleInterval;
}

/**
 * The ends of the bars that were opened, earliest first: a binary min-heap, so that closing the
 * bars that ended costs a logarithm per bar that closes, whatever the number of symbols. A scan
 * of every symbol whenever the clock passed the earliest end made a batch of late ticks (each
 * opening a bar that had already ended) cost the square of its symbols: 3,000 held the process
 * for 14 s. An entry is not taken out when its bar closes otherwise (a later tick opens the
 * next): whoever takes it checks that the bar is still open.
 */
export class BarEnds {
  private readonly heap: BarEnd[] = [];

  /** The earliest end held, or Infinity. */
  get earliest(): number {
    return this.heap.length > 0 ? this.heap[0].end : Infinity;
  }

  get size(): number {
    return this.heap.length;
  }

  add(entry: BarEnd): void {
    const { heap } = this;
    heap.push(entry);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent].end <= entry.end) {
        break;
      }
      heap[at] = heap[parent];
      at = parent;
    }
    heap[at] = entry;
  }

  /** Takes out the earliest entry if it ended by `until`. */
  takeBy(until: number): BarEnd | undefined {
    const { heap } = this;
    if (heap.length === 0 || heap[0].end > until) {
      return undefined;
    }
    const first = heap[0];
    const last = heap.pop();
    if (last !== undefined && heap.length > 0) {
      this.sink(last);
    }
    return first;
  }

  private sink(entry: BarEnd): void {
    const { heap } = this;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) {
        break;
      }
      const right = left + 1;
      const child = right < heap.length && heap[right].end < heap[left].end ? right : left;
      if (heap[child].end >= entry.end) {
        break;
      }
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = entry;
  }
}
