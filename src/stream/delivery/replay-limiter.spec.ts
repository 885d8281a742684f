import { setImmediate as turn } from 'node:timers/promises';
import { ReplayLimiter } from './replay-limiter.js';

describe('ReplayLimiter', () => {
  it('runs at most `concurrency` reads at once, the others in the order they came', async () => {
    const limiter = new ReplayLimiter(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const reads = [1, 2, 3, 4].map((n) =>
      limiter.run(async () => {
        started.push(n);
        await new Promise<void>((resolve) => finish.push(resolve));
        return n;
      }),
    );
    await turn();
    expect(started).toEqual([1, 2]);
    expect(limiter.load).toEqual({ running: 2, waiting: 2 });
    finish[1]();
    await turn();
    // The turn passes on at the next turn of the event loop, once the page has been written.
    expect(started).toEqual([1, 2]);
    await turn();
    expect(started).toEqual([1, 2, 3]);
    finish[0]();
    finish[2]();
    await turn();
    await turn();
    finish[3]();
    expect(await Promise.all(reads)).toEqual([1, 2, 3, 4]);
    await turn();
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the turn on when a read fails', async () => {
    const limiter = new ReplayLimiter(1);
    const failed = limiter.run(() => Promise.reject(new Error('bus down')));
    const next = limiter.run(() => Promise.resolve('read'));
    await expect(failed).rejects.toThrow('bus down');
    await expect(next).resolves.toBe('read');
  });
});
