/** Something with frames waiting to be written. */
export interface Flushable {
  flush(): void;
}

/**
 * How long one turn writes at most. Past it the rest wait a turn, in order: the frames of the
 * clients that wait pile up into fewer, larger writes, and the process goes back to the event
 * loop. It must go back often: libuv accepts one connection per event-loop iteration, so a process
 * that fan-out saturates with long turns takes new streams at a trickle, however short their
 * set-up.
 */
const TURN_BUDGET_MS = 2;
/** Clients written between looks at the clock. */
const CLOCK_EVERY = 8;

/**
 * Writes every waiting client once per event-loop turn, after the turn's ticks have all been
 * fanned out: a batch of ticks costs one write per client, not one per event.
 */
export class FlushQueue {
  private due: Flushable[] = [];
  /** Beside each client in `due`, the id of the first tick it waits to write, if any. */
  private dueTicks: (string | undefined)[] = [];

  /** `onFlushed` hears, after each turn's writes, the id of the oldest tick they carried. */
  constructor(private readonly onFlushed: (oldestTickId: string | undefined) => void) {}

  add(client: Flushable, tickId?: string): void {
    if (this.due.length === 0) {
      setImmediate(this.flushSome);
    }
    this.due.push(client);
    this.dueTicks.push(tickId);
  }

  private readonly flushSome = (): void => {
    const until = performance.now() + TURN_BUDGET_MS;
    const due = this.due;
    let flushed = 0;
    while (flushed < due.length) {
      due[flushed++].flush();
      if (flushed % CLOCK_EVERY === 0 && performance.now() > until) {
        break;
      }
    }
    // Clients that became due meanwhile were added behind the others and wait their turn too.
    due.splice(0, flushed);
    const tickIds = this.dueTicks.splice(0, flushed);
    if (due.length > 0) {
      setImmediate(this.flushSome);
    }
    this.onFlushed(tickIds.find((id) => id !== undefined));
  };
}
