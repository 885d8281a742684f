/**
 * Bounds the history pages of resuming streams in flight at once: a storm of clients resuming
 * from far back takes turns, page by page, so that live ticks, health checks and new streams
 * keep being served meanwhile.
 *
 * A turn is handed on at the next turn of the event loop, not when the read settles: a page is
 * written in the microtasks that follow its read (a memory bus answers at once), so at most
 * `concurrency` pages are read and written in one turn of the loop, between which it serves the
 * rest.
 */
export class ReplayLimiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  /** Pages being read and written now, and pages waiting for their turn. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.queue.length };
  }

  /** Runs `read` once fewer than `concurrency` others run; waits its turn in order. */
  async run<T>(read: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await read();
    } finally {
      setImmediate(() => this.handOn());
    }
  }

  private handOn(): void {
    const next = this.queue.shift();
    if (next) {
      next();
    } else {
      this.running--;
    }
  }
}
