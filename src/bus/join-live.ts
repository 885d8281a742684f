import { Observable, Subscription, type Observer } from 'rxjs';
import { compareEventIds, type EventId } from './event-id.js';
import type { Tick } from './tick.js';

/**
 * History, then live, with nothing lost or repeated between them: the `live` streams (one per
 * symbol, numbered by one bus, so their ticks arrive in id order) are subscribed first and held
 * while `history` loads; held and later live ticks go out only if newer than the last historical
 * one (or than `after`, when history is empty). The live streams are subscribed one by one rather
 * than merged: this is every tick's path to every subscriber, and merge() costs two more calls
 * per tick.
 */
export function joinLive(
  live: readonly Observable<Tick>[],
  after: EventId,
  history: () => Promise<Tick[]>,
): Observable<Tick> {
  return new Observable<Tick>((subscriber) => {
    let held: Tick[] | undefined = [];
    let newerThan: EventId | undefined = after;
    const pass = (tick: Tick): void => {
      if (newerThan !== undefined) {
        if (compareEventIds(tick.id, newerThan) <= 0) {
          return;
        }
        // Live ticks arrive in id order: once one is newer, all later ones are.
        newerThan = undefined;
      }
      subscriber.next(tick);
    };
    const observer: Observer<Tick> = {
      next: (tick) => (held ? held.push(tick) : pass(tick)),
      error: (error: unknown) => subscriber.error(error),
      // The streams of one bus end together, when it shuts down.
      complete: () => subscriber.complete(),
    };
    const subscription = new Subscription();
    for (const symbolTicks of live) {
      subscription.add(symbolTicks.subscribe(observer));
    }
    history().then(
      (ticks) => {
        if (subscriber.closed || !held) {
          return;
        }
        for (const tick of ticks) {
          subscriber.next(tick);
        }
        newerThan = ticks.at(-1)?.id ?? after;
        const waiting = held;
        held = undefined;
        waiting.forEach(pass);
      },
      (error: unknown) => subscriber.error(error),
    );
    return subscription;
  });
}
