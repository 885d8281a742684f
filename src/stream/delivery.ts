import type { EventId } from '@tickstream/client/contract';
import type { Tick } from '../bus/tick.js';
import type { Frame } from './frame.js';

/**
 * How a stream's ticks reach it: every tick with its own id (EveryTick), or at most one per
 * symbol per throttle window, the latest, with the stream's watermark as id (Conflated). The one
 * resume path (catchUp) drives either.
 */
export interface Delivery {
  /** Ticks from history, oldest first, a page at a time. */
  replay(ticks: readonly Tick[]): void;
  /** Joins the live sources of the stream's symbols; what they bring waits for goLive(). */
  join(): void;
  /** History has been read up to `covered`: sends what waited and is newer, and goes live. */
  goLive(covered: EventId): void;
  /** Leaves the live sources. */
  leave(): void;
}

/** Where a delivery's frames go, and what it tells when its sources end. */
export interface StreamSink {
  send(frame: Frame): void;
  /** A live source failed (the bus missed ticks, or is gone). */
  fail(error: unknown): void;
  /** The live sources ended: the bus is shutting down. */
  complete(): void;
}
