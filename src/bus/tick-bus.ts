import { IntrinsicException, ServiceUnavailableException } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Quote, EventId } from '@tickstream/client/contract';
import type { HistoryPage } from './history-page.js';
import type { Tick } from './tick.js';

/** The latest quotes, and the id up to which they account for every tick. */
export interface Snapshot {
  head: EventId;
  quotes: Quote[];
}

/**
 * Raised when history no longer holds what a stream needs. A stream that ends with it is not an
 * internal failure, so it is not logged: the client comes back with its last id and is reset.
 */
export class HistoryGapError extends IntrinsicException {
  constructor(readonly after: EventId) {
    super(`history no longer holds the ticks after ${after}`);
  }
}

/** Raised when the bus cannot be reached (Redis down); clients get a 503 and try again. */
export class BusUnavailableError extends ServiceUnavailableException {
  constructor(cause: unknown) {
    super('the tick bus is unavailable, try again shortly', { cause });
  }
}

/**
 * The one place ticks flow through. It numbers them, keeps recent history and the latest quote
 * per symbol, and fans them out on one shared stream per symbol. Also the DI token.
 */
export abstract class TickBus {
  /**
   * Numbers the quotes in order and hands them to the subscribers of their symbols: all of
   * them or, when the bus fails, none.
   */
  abstract publishAll(quotes: readonly Quote[]): Promise<Tick[]>;

  /** Whether the bus can publish and deliver now; for readiness checks. */
  abstract readonly ready: boolean;

  /** Live ticks of one symbol; hot and shared. */
  abstract ticks(symbol: string): Observable<Tick>;

  /** Live ticks of every symbol. */
  abstract readonly allTicks: Observable<Tick>;

  abstract snapshot(symbols: readonly string[]): Promise<Snapshot>;

  /** Whether a client may resume from `id` without losing a tick. */
  abstract canResumeFrom(id: EventId): Promise<boolean>;

  /**
   * A page of history: the `wanted` ticks among the (at most) `limit` entries after `after`,
   * oldest first. Rejects with HistoryGapError when history no longer holds what follows `after`.
   */
  abstract history(
    after: EventId,
    wanted: (symbol: string) => boolean,
    limit: number,
  ): Promise<HistoryPage>;

  /** Open subscriptions to per-symbol streams, for leak checks and metrics. */
  abstract readonly subscriberCount: number;

  /** Numbers one quote and hands it to every subscriber of its symbol. */
  async publish(quote: Quote): Promise<Tick> {
    const [tick] = await this.publishAll([quote]);
    return tick;
  }
}
