import type { EventId } from '@tickstream/client/contract';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Frame } from '../wire/frame.js';
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
  /**
   * The next page of the opening (a snapshot too large for one event), taking its turn among
   * the other streams catching up; undefined once there is none.
   */
  openingPage(): Promise<Frame | undefined>;
  send(frame: Frame): void;
  /** Whether the stream has ended meanwhile. */
  ended(): boolean;
  /** Counts the events a page of history brought. */
  replayed(count: number): void;
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
): Promise<void> {
  const paged = await openingPages(io);
  if (paged === undefined) {
    return;
  }
  let joined = false;
  const join = (): void => {
    delivery.join();
    joined = true;
  };
  // After a snapshot in pages the stream resumes from it: what came meanwhile is history.
  if (!resuming && !paged) {
    join();
  }
  let cursor = after;
  for (;;) {
    const page = joined ? await io.read(cursor) : await io.readInTurn(cursor);
    if (io.ended()) {
      return;
    }
    delivery.replay(page.events);
    io.replayed(page.events.length);
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

/**
 * Writes the opening's later pages, each taking its turn, once the client took the one before; whether there were
 * any, or undefined when the stream ended meanwhile.
 */
async function openingPages(io: CatchUpIo): Promise<boolean | undefined> {
  let paged = false;
  for (;;) {
    const page = await io.openingPage();
    if (page !== undefined) {
      await io.writable();
    }
    if (io.ended()) {
      return undefined;
    }
    if (page === undefined) {
      return paged;
    }
    io.send(page);
    paged = true;
    await nextTurn();
  }
}
