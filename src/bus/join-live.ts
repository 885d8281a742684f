import { Observable } from 'rxjs';
import { compareEventIds, type EventId } from './event-id.js';
import type { Tick } from './tick.js';

/**
 * History, then live, with nothing lost or repeated between them: `live` is subscribed first and
 * held while `history` loads; held and later live ticks go out only if newer than the last
 * historical one (or than `after`, when history is empty).
 */
export function joinLive(
  live: Observable<Tick>,
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
    const subscription = live.subscribe({
      next: (tick) => (held ? held.push(tick) : pass(tick)),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
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
