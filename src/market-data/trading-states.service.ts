import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { StatusData, TradingState } from '@tickstream/client/contract';
import type { Subscription } from 'rxjs';
import type { StatusChange } from '../bus/status-change.js';
import { EventLog } from '../bus/event-log.js';
import { LatestValues } from '../bus/latest-values.js';
import { FeedCounters } from './feed-counters.js';

/**
 * Every symbol's trading state, as the bus last said: open unless a status change said halted or
 * closed. Changes go through the bus, so that every instance knows them, and streams get them.
 */
@Injectable()
export class TradingStates implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TradingStates.name);
  private readonly states = new Map<string, StatusData>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly latest: LatestValues,
    private readonly counters: FeedCounters,
  ) {}

  onModuleInit(): void {
    this.subscription = this.log.allEvents.subscribe((event) => {
      if (event.kind === 'status') {
        this.states.set(event.symbol, event.status);
      }
    });
    // What changed before this instance started; what changes from now on comes live first.
    this.latest.snapshot('all').then(
      ({ states }) => states.forEach((status) => this.noteEarlier(status)),
      (error: unknown) => this.logger.warn(`trading states not read at start: ${String(error)}`),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  stateOf(symbol: string): TradingState {
    return this.states.get(symbol)?.state ?? 'open';
  }

  /** The last status change of `symbol`, if it has had one. */
  statusOf(symbol: string): StatusData | undefined {
    return this.states.get(symbol);
  }

  /** Whether `symbol` may tick now. */
  trades(symbol: string): boolean {
    return this.stateOf(symbol) === 'open';
  }

  /** Publishes `symbol`'s state, as of now. */
  async change(symbol: string, state: TradingState, reason: string | null): Promise<StatusChange> {
    const change = await this.log.publishStatus({ symbol, state, reason, ts: Date.now() });
    if (state === 'halted') {
      this.counters.halts += 1;
    }
    return change;
  }

  private noteEarlier(status: StatusData): void {
    if (!this.states.has(status.symbol)) {
      this.states.set(status.symbol, status);
    }
  }
}
