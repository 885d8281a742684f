import {
  asapScheduler,
  asyncScheduler,
  map,
  Observable,
  type OperatorFunction,
  type Subscription,
} from 'rxjs';
import { compareEventIds, type EventId } from '../bus/event-id.js';
import type { Tick } from '../bus/tick.js';

/**
 * A tick on its way to one subscriber, with the id to send beside it: every tick of the
 * subscriber's symbols up to `watermark` has been delivered or superseded, so resuming from it
 * never loses a latest price, even while other symbols' ticks are held back.
 */
export interface Delivery {
  tick: Tick;
  watermark: EventId;
}

interface Slot {
  /** The newest tick not yet delivered. */
  pending?: Tick;
  /** The last id seen before `pending`'s run began: the watermark while it waits. */
  heldSince: EventId;
  /** The throttle window opened by the last delivery. */
  window?: Subscription;
  queued: boolean;
}

/**
 * Per-symbol conflation: at most one delivery per symbol per `windowMs`. A tick in a quiet
 * period goes out at once (at the end of the synchronous burst it came in, so a burst of
 * replayed or batched ticks collapses to its latest); ticks inside a window wait for its end
 * and only the latest is delivered. `windowMs` 0 delivers every tick as it comes. `from` is the
 * watermark the subscriber already has; `onSuperseded` hears of every tick that is not delivered.
 */
export function conflate(
  windowMs: number,
  from: EventId,
  onSuperseded: () => void = () => undefined,
): OperatorFunction<Tick, Delivery> {
  if (windowMs <= 0) {
    return map((tick) => ({ tick, watermark: tick.id }));
  }
  return (source) =>
    new Observable<Delivery>((subscriber) => {
      const slots = new Map<string, Slot>();
      let lastSeen = from;
      let burst: Subscription | undefined;
      let queue: Slot[] = [];
      let sourceDone = false;

      const watermark = (): EventId => {
        let lowest: EventId | undefined;
        for (const slot of slots.values()) {
          if (
            slot.pending &&
            (lowest === undefined || compareEventIds(slot.heldSince, lowest) < 0)
          ) {
            lowest = slot.heldSince;
          }
        }
        return lowest ?? lastSeen;
      };

      const completeIfDrained = (): void => {
        if (sourceDone && ![...slots.values()].some((slot) => slot.pending)) {
          subscriber.complete();
        }
      };

      const release = (symbol: string, slot: Slot): void => {
        const tick = slot.pending;
        if (!tick) {
          slots.delete(symbol);
          return;
        }
        slot.pending = undefined;
        subscriber.next({ tick, watermark: watermark() });
        slot.window = asyncScheduler.schedule(() => {
          slot.window = undefined;
          release(symbol, slot);
          completeIfDrained();
        }, windowMs);
      };

      const flushBurst = (): void => {
        burst = undefined;
        const released = queue;
        queue = [];
        for (const slot of released) {
          slot.queued = false;
          if (slot.pending) {
            release(slot.pending.quote.symbol, slot);
          }
        }
        completeIfDrained();
      };

      const subscription = source.subscribe({
        next: (tick) => {
          const symbol = tick.quote.symbol;
          let slot = slots.get(symbol);
          if (!slot) {
            slot = { heldSince: lastSeen, queued: false };
            slots.set(symbol, slot);
          }
          if (slot.pending) {
            onSuperseded();
          } else {
            slot.heldSince = lastSeen;
          }
          slot.pending = tick;
          lastSeen = tick.id;
          if (!slot.window && !slot.queued) {
            slot.queued = true;
            queue.push(slot);
            burst ??= asapScheduler.schedule(flushBurst);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          completeIfDrained();
        },
      });

      return () => {
        subscription.unsubscribe();
        burst?.unsubscribe();
        for (const slot of slots.values()) {
          slot.window?.unsubscribe();
        }
      };
    });
}
