import { setImmediate } from 'node:timers/promises';

/** Events published in one turn of the event loop, at most: a few ms of work. */
export const PUBLISH_SLICE = 1_000;

/**
 * Publishes one at a time, in the order they were asked for, so that a batch published a slice
 * per turn of the event loop (230,000 ticks in one turn held every stream and /health/live for
 * 2 to 4 s) has nothing of another publish among its events: they wait for its end. When none
 * is under way, a publish runs at once, in the caller's turn, as it always did.
 */
export class PublishTurns {
  private last: Promise<void> = Promise.resolve();
  private pending = 0;

  /** Whether a publish may run now, in the caller's turn. */
  get idle(): boolean {
    return this.pending === 0;
  }

  /** Runs `publish` once every publish asked for before it has ended. */
  async inTurn<T>(publish: () => Promise<T>): Promise<T> {
    const before = this.last;
    let ended = (): void => undefined;
    this.last = new Promise<void>((resolve) => {
      ended = resolve;
    });
    this.pending++;
    try {
      await before;
      return await publish();
    } finally {
      this.pending--;
      ended();
    }
  }
}

/** Lets the event loop turn: what waits for I/O runs before the next slice. */
export const nextTurn = (): Promise<void> => setImmediate();
