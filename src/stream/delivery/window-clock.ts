import { compareEventIds, type EventId } from '@tickstream/client/contract';
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

  /**
   * Every release of the point takes what waits before any item goes out, and the items go out
   * in id order: a stream whose channels release together then claims each item's own id, and
   * gets the frame every reader shares. Released one channel after another, each item but the
   * last of a stream's waited behind another channel's and went out in a frame made for that
   * stream alone, with a lower id (see Conflated).
   */
  private fire(time: number): void {
    const point = this.points.get(time);
    this.points.delete(time);
    const released: Released[] = [];
    point?.releases.forEach((release) => released.push(...release(time)));
    released.sort((a, b) => compareEventIds(a.id, b.id));
    released.forEach((item) => item.send());
  }
}

/** An item a release took: its id, and what sends it to every reader. */
export interface Released {
  id: EventId;
  send(): void;
}

/**
 * Called with the time it was due, which a late timer may have passed: takes what waits, and
 * says what to send.
 */
export type Release = (time: number) => readonly Released[];

interface Point {
  releases: Set<Release>;
  timer: Subscription;
}
