import { setImmediate as turn } from 'node:timers/promises';
import { FlushQueue, type Flushable } from './flush-queue.js';

/** A client whose write takes `ms` of CPU, like a large write to a slow socket. */
function client(flushed: number[], index: number, ms = 0): Flushable {
  return {
    flush: () => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // busy, as a write is
      }
      flushed.push(index);
    },
  };
}

describe('FlushQueue', () => {
  it('writes each waiting client once, in the order they became due, and reports the oldest tick', async () => {
    const oldest: (string | undefined)[] = [];
    const queue = new FlushQueue((id) => oldest.push(id));
    const flushed: number[] = [];
    queue.add(client(flushed, 0));
    queue.add(client(flushed, 1), '1000-1');
    queue.add(client(flushed, 2), '1000-2');
    await turn();
    expect(flushed).toEqual([0, 1, 2]);
    expect(oldest).toEqual(['1000-1']);
  });

  it('lets the event loop run between turns once a turn has written for its budget', async () => {
    const queue = new FlushQueue(() => undefined);
    const flushed: number[] = [];
    for (let i = 0; i < 200; i++) {
      queue.add(client(flushed, i, 1));
    }
    // Queued after the first turn of writes: it runs before the 200 ms of writes are all done.
    const seenBetween = turn().then(() => flushed.length);
    expect(await seenBetween).toBeLessThan(200);
    while (flushed.length < 200) {
      await turn();
    }
    expect(flushed).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
