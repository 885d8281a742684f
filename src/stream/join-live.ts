import { Observable, Subscription, type Observer } from 'rxjs';
import { compareEventIds, type EventId } from '@tickstream/client/contract';
import type { TickFrame } from './frames.js';

/**
 * History, then live, with nothing lost or repeated between them: the `live` streams (one per
 * symbol, numbered by one bus, so their ticks arrive in id order) are subscribed first and held
 * while `history` loads; held and later live ticks go out only if newer than the last historical
 * one (or than `after`, when history is empty).
 *
 * This is every tick's path to every subscriber. The live streams are subscribed one by one
 * rather than merged, which would cost two more calls per tick, and once a live tick is newer
 * than history, so that all later ones are, they are handed the subscriber itself: from then on
 * a tick reaches it with no check and no wrapper on its way.
 */
export function joinLive(
  live: readonly Observable<TickFrame>[],
  after: EventId,
  history: () => Promise<TickFrame[]>,
): Observable<TickFrame> {
  return new Observable<TickFrame>((subscriber) => {
    let held: TickFrame[] | undefined = [];
    let newerThan: EventId | undefined = after;
    const checked = new Subscription();
    const handOver = (): void => {
      checked.unsubscribe();
      for (const symbolFrames of live) {
        if (!subscriber.closed) {
          // The subscription ends with the subscriber, which owns it from here.
          symbolFrames.subscribe(subscriber);
        }
      }
    };
    const pass = (frame: TickFrame): void => {
      if (newerThan !== undefined) {
        if (compareEventIds(frame.id, newerThan) <= 0) {
          return;
        }
        newerThan = undefined;
        handOver();
      }
      subscriber.next(frame);
    };
    const observer: Observer<TickFrame> = {
      next: (frame) => (held ? held.push(frame) : pass(frame)),
      error: (error: unknown) => subscriber.error(error),
      // The streams of one bus end together, when it shuts down.
      complete: () => subscriber.complete(),
    };
    for (const symbolFrames of live) {
      checked.add(symbolFrames.subscribe(observer));
    }
    history().then(
      (frames) => {
        if (subscriber.closed || !held) {
          return;
        }
        for (const frame of frames) {
          subscriber.next(frame);
        }
        newerThan = frames.at(-1)?.id ?? after;
        const waiting = held;
        held = undefined;
        waiting.forEach(pass);
      },
      (error: unknown) => subscriber.error(error),
    );
    return checked;
  });
}
