import { asyncScheduler, type Subscription } from 'rxjs';

/**
 * Runs releases at points in time, every release due at the same millisecond in one timer
 * callback. The conflations of one throttle end their windows on the same points (multiples of
 * the window), so a stream's busy symbols are released together and reach it in one write, not
 * one write each.
 */
export class WindowClock {
  private readonly points = new Map<number, Point>();

  now(): number {
    return asyncScheduler.now();
  }

  /** Runs `release` at `time`, with whatever else is due then. The returned function cancels it. */
  at(time: number, release: Release): () => void {
    const point = this.points.get(time) ?? this.schedule(time);
    point.releases.add(release);
    return () => {
      point.releases.delete(release);
      if (point.releases.size === 0 && this.points.get(time) === point) {
        point.timer.unsubscribe();
        this.points.delete(time);
      }
    };
  }

  private schedule(time: number): Point {
    const delay = Math.max(0, time - this.now());
    const point = {
      releases: new Set<Release>(),
      timer: asyncScheduler.schedule(() => this.fire(time), delay),
    };
    this.points.set(time, point);
    return point;
  }

  private fire(time: number): void {
    const point = this.points.get(time);
    this.points.delete(time);
    point?.releases.forEach((release) => release(time));
  }
}

/** Called with the time it was due, which a late timer may have passed. */
export type Release = (time: number) => void;

interface Point {
  releases: Set<Release>;
  timer: Subscription;
}
