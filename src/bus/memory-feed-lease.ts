import { hostname } from 'node:os';
import { FeedLease, type Fence, type LeaseHolder, type LeaseState } from './feed-lease.js';

/** The memory bus is one process's: its feed is the only one, and holds the lease at once. */
export class MemoryFeedLease extends FeedLease {
  readonly name = `${hostname()} pid ${process.pid}`;
  private held = false;

  get state(): LeaseState {
    return this.held ? { kind: 'held', fence: 1, holder: this.name } : { kind: 'none' };
  }

  compete(holder: LeaseHolder): Promise<void> {
    this.held = true;
    return holder.took(1);
  }

  fenced(fence: Fence, current: string): void {
    throw new Error(
      `the memory bus fences no write, yet one under ${fence} was refused (${current})`,
    );
  }

  release(): Promise<void> {
    this.held = false;
    return Promise.resolve();
  }
}
