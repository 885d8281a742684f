import type { EventId } from '@tickstream/client/contract';
import type { Frame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';

/**
 * How a stream's items reach it: every one with its own id (EveryTick), or at most one per key
 * per throttle window, the latest, with the stream's watermark as id (Conflated). The one resume
 * path (catchUp) drives either.
 */
export interface Delivery {
  /** Events from history, oldest first, a page at a time. */
  replay(events: readonly StreamItem[]): void;
  /** Joins the stream's live channels; what they bring waits for goLive(). */
  join(): void;
  /**
   * History has been read up to `covered`: sends what waited and is newer, then the stream's
   * bars as they stand (which every bar change that waited led to), and goes live.
   */
  goLive(covered: EventId): void;
  /** Leaves the live channels. */
  leave(): void;
}

/** Where a delivery's frames go, and what it tells when its channels end. */
export interface StreamSink {
  send(frame: Frame): void;
  /** A live channel failed (the bus missed events, or is gone). */
  fail(error: unknown): void;
  /** The live channels ended: the bus is shutting down. */
  complete(): void;
}

/** The bars a stream is sent as it goes live; none for a stream without bars. */
export type CurrentBars = () => readonly StreamItem[];
