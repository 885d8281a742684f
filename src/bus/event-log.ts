import { IntrinsicException } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { EventId, Quote, StatusData } from '@tickstream/client/contract';
import type { Fence } from './feed-lease.js';
import type { HistoryPage } from './history-page.js';
import type { MarketEvent } from './market-event.js';
import type { StatusChange } from './status-change.js';
import type { Tick } from './tick.js';

/**
 * Raised when history no longer holds what a stream needs. A stream that ends with it is not an
 * internal failure, so it is not logged: the client comes back with its last id and is reset.
 */
export class HistoryGapError extends IntrinsicException {
  constructor(readonly after: EventId) {
    super(`history no longer holds the ticks after ${after}`);
  }
}

/**
 * Raised when a batch holds a tick of a halted or closed symbol and is to be refused: the log,
 * which numbers ticks and status changes in one order, is where "a stopped symbol does not
 * tick" holds, whoever publishes.
 */
export class SymbolStoppedError extends Error {
  constructor(readonly symbol: string) {
    super(`${symbol} is not trading`);
  }
}

/** What publishing does with a tick of a halted or closed symbol. */
export type WhenStopped = 'refuse' | 'drop';

/**
 * The log of market events: appending (it numbers ticks and status changes in one order),
 * reading a range of it back, and tailing it, on one shared stream per symbol. Also the DI token.
 */
export abstract class EventLog {
  /**
   * Numbers the quotes in order and hands them to the subscribers of their symbols: all of
   * them or, when the bus fails, none. A quote of a halted or closed symbol refuses the batch
   * (SymbolStoppedError), or with `drop` is left out; what was published is returned. A feed
   * writes under the `fence` of its lease (see FeedLease): a fence that is no longer the current
   * one refuses the batch (FencedError). Ingest is fenced by no lease.
   */
  abstract publishAll(
    quotes: readonly Quote[],
    whenStopped?: WhenStopped,
    fence?: Fence,
  ): Promise<Tick[]>;

  /** Numbers a change of a symbol's state and hands it on like a tick; `fence` as above. */
  abstract publishStatus(status: StatusData, fence?: Fence): Promise<StatusChange>;

  /** Whether a client may resume from `id` without losing an event. */
  abstract canResumeFrom(id: EventId): Promise<boolean>;

  /** The oldest id history covers: every event after it is still held. */
  abstract historyFloor(): Promise<EventId>;

  /**
   * A page of history: the events of `wanted` symbols among the (at most) `limit` entries after
   * `after`, oldest first. Rejects with HistoryGapError when history no longer holds what
   * follows `after`.
   */
  abstract history(
    after: EventId,
    wanted: (symbol: string) => boolean,
    limit: number,
  ): Promise<HistoryPage>;

  /** Live events of one symbol; hot and shared. */
  abstract events(symbol: string): Observable<MarketEvent>;

  /** Live events of every symbol, in the log's order. */
  abstract readonly allEvents: Observable<MarketEvent>;

  /** Open subscriptions to per-symbol streams, for leak checks and metrics. */
  abstract readonly subscriberCount: number;

  /** Numbers one quote and hands it to every subscriber of its symbol. */
  async publish(quote: Quote): Promise<Tick> {
    const [tick] = await this.publishAll([quote]);
    return tick;
  }
}
