/** Something with frames waiting to be written. */
export interface Flushable {
  flush(): void;
}

/**
 * Writes every waiting client once per event-loop turn, after the turn's ticks have all been
 * fanned out: a batch of ticks costs one write per client, not one per event.
 */
export class FlushQueue {
  private due: Flushable[] = [];
  /** The id of the oldest tick waiting in this turn, for the write-lag metric. */
  private oldestTickId: string | undefined;

  constructor(private readonly onFlushed: (oldestTickId: string | undefined) => void) {}

  add(client: Flushable, tickId?: string): void {
    if (this.due.length === 0) {
      setImmediate(this.flushAll);
    }
    this.due.push(client);
    this.oldestTickId ??= tickId;
  }

  private readonly flushAll = (): void => {
    const due = this.due;
    const oldestTickId = this.oldestTickId;
    this.due = [];
    this.oldestTickId = undefined;
    for (const client of due) {
      client.flush();
    }
    this.onFlushed(oldestTickId);
  };
}
