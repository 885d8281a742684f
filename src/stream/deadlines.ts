/** setTimeout fires at once for delays past this (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Entry<T> {
  at: number;
  item: T;
  /** Where the entry is in the heap, so that it can be taken out of the middle. */
  index: number;
}

/**
 * Items due at points in time (ms since the epoch), on one timer set for the earliest: a stream's
 * token expiry costs an entry in a min-heap, not a timer and a closure of its own, and an item
 * taken out before its time is let go at once.
 */
export class Deadlines<T> {
  private readonly heap: Entry<T>[] = [];
  private readonly entries = new Map<T, Entry<T>>();
  private timer: NodeJS.Timeout | undefined;
  /** When the timer is set to fire. */
  private timerAt = Infinity;

  /** `due` hears each item once its time has come, in order of time. */
  constructor(
    private readonly due: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Makes `item` due at `at`, in place of any time it had. */
  set(item: T, at: number): void {
    this.delete(item);
    const entry = { at, item, index: this.heap.length };
    this.heap.push(entry);
    this.entries.set(item, entry);
    this.up(entry.index);
    this.arm();
  }

  delete(item: T): void {
    const entry = this.entries.get(item);
    if (!entry) {
      return;
    }
    this.entries.delete(item);
    const last = this.heap.pop();
    if (last && last !== entry) {
      this.heap[entry.index] = last;
      last.index = entry.index;
      this.down(last.index);
      this.up(last.index);
    }
    if (this.heap.length === 0) {
      this.disarm();
    }
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    for (let first = this.heap[0]; first && first.at <= now; first = this.heap[0]) {
      this.delete(first.item);
      this.due(first.item);
    }
    this.arm();
  }

  /** Sets the timer for the earliest item, unless it is set for that already. */
  private arm(): void {
    const first = this.heap[0];
    if (!first || first.at >= this.timerAt) {
      return;
    }
    this.disarm();
    this.timerAt = first.at;
    const delay = Math.min(Math.max(0, first.at - this.now()), MAX_TIMEOUT_MS);
    // Open streams keep the process alive; their deadlines must not.
    this.timer = setTimeout(() => this.fire(), delay).unref();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private up(index: number): void {
    const { heap } = this;
    for (let i = index; i > 0;) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= heap[i].at) {
        return;
      }
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    const { heap } = this;
    for (let i = index; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left].at < heap[least].at) {
        least = left;
      }
      if (right < heap.length && heap[right].at < heap[least].at) {
        least = right;
      }
      if (least === i) {
        return;
      }
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const { heap } = this;
    [heap[a], heap[b]] = [heap[b], heap[a]];
    heap[a].index = a;
    heap[b].index = b;
  }
}
