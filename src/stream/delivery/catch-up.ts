import type { EventId } from '@tickstream/client/contract';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StreamItem } from '../wire/stream-item.js';
import type { Delivery } from './delivery.js';

/** One step of a catch-up: a page of history, with the bars due by its end (see ResumedBars). */
export interface CatchUpPage {
  /** Oldest first. */
  events: readonly StreamItem[];
  /** The last id the page looked at: the next page starts after it. */
  next: EventId;
  /** Whether the page reached the newest event the bus had. */
  end: boolean;
}

/** What the catch-up of one stream reads and writes through. */
export interface CatchUpIo {
  /** The page of the stream's symbols' history after `after`. */
  read(after: EventId): Promise<CatchUpPage>;
  /** The same, taking its turn among the other resuming streams (see ReplayLimiter). */
  readInTurn(after: EventId): Promise<CatchUpPage>;
  /** Resolves once the client has taken what it was sent. */
  writable(): Promise<void>;
  /** Whether the stream has ended meanwhile. */
  ended(): boolean;
  /** The catch-up is over, live or ended: lets go of what the reading holds. */
  finish(): void;
}

/**
 * History, then live, with nothing lost or repeated between them: the one resume path, whatever
 * the delivery.
 *
 * A resume reads history a page at a time, each page written before the next is read and only
 * once the client has taken the one before (so a replay costs a page of memory, however far back
 * it starts), taking turns with the other resuming streams. Once a page reaches the newest tick
 * the stream joins its live sources, which hold what they bring, reads history once more for what
 * was published meanwhile, and goes live with the held ticks newer than that read. A fresh stream
 * joins at once and reads that once.
 */
export async function catchUp(
  delivery: Delivery,
  after: EventId,
  resuming: boolean,
  io: CatchUpIo,
  onReplayed: (count: number) => void,
): Promise<void> {
  try {
    await pages(delivery, after, resuming, io, onReplayed);
  } finally {
    io.finish();
  }
}

async function pages(
  delivery: Delivery,
  after: EventId,
  resuming: boolean,
  io: CatchUpIo,
  onReplayed: (count: number) => void,
): Promise<void> {
  let joined = false;
  const join = (): void => {
    delivery.join();
    joined = true;
  };
  if (!resuming) {
    join();
  }
  let cursor = after;
  for (;;) {
    const page = joined ? await io.read(cursor) : await io.readInTurn(cursor);
    if (io.ended()) {
      return;
    }
    delivery.replay(page.events);
    onReplayed(page.events.length);
    cursor = page.next;
    if (page.end) {
      if (joined) {
        break;
      }
      join();
    } else {
      await io.writable();
      // A memory bus answers at once: without a turn of the event loop between pages a long
      // replay would hold it.
      await nextTurn();
    }
  }
  delivery.goLive(cursor);
}
