import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { TRADING_STATES } from '@tickstream/client/contract';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge } from 'prom-client';
import type { Subscription } from 'rxjs';
import { FeedLease } from '../bus/feed-lease.js';
import { ONLY_PARTITION } from '../bus/log-partition.js';
import { EventLog } from '../bus/event-log.js';
import type { IngestRoute } from '../market-data/ingest/ingest-rate-limit.guard.js';
import { FeedCounters } from '../market-data/feed-counters.js';
import { SymbolRegistry } from '../market-data/symbol-registry.service.js';
import { TradingStates } from '../market-data/trading-states.service.js';
import { Metrics } from './metrics.service.js';
import { secondsSince } from './seconds-since.js';

/**
 * Why an ingest was refused, by the status it was answered with: every refusal (a guard's, the
 * body's, the parser's, the bus's) is one of these, and the labels stay a small fixed set.
 */
const REFUSAL_REASONS: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'unauthorized',
  409: 'symbol_stopped',
  413: 'too_large',
  415: 'unsupported_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * The feed's metrics, so that a feed that stops is seen: ticks published by source, halts and
 * refused ingests, the age of the newest tick in the log, and how many symbols are open (a
 * stalled feed leaves open symbols without ticks; a closed or halted market has none open); and
 * who feeds: whether this process holds the feed lease, its takeovers and its fenced writes.
 */
@Injectable()
export class FeedMetrics implements OnModuleDestroy {
  private readonly refusals: Counter<'route' | 'reason'>;
  private readonly newestTicks: Subscription;

  constructor(
    metrics: Metrics,
    bus: EventLog,
    registry: SymbolRegistry,
    states: TradingStates,
    counters: FeedCounters,
    lease: FeedLease,
  ) {
    const registers = [metrics.registry];
    new Counter({
      name: 'tickstream_ticks_published_total',
      help: 'Ticks this process published to the log, by source (simulated, ingested)',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        Object.entries(counters.ticks).forEach(([source, count]) => this.inc({ source }, count));
      },
    });
    new Counter({
      name: 'tickstream_halts_total',
      help: 'Halts this process published (the simulated limit bands, or POST /api/status)',
      registers,
      collect() {
        this.reset();
        this.inc(counters.halts);
      },
    });
    new Gauge({
      name: 'tickstream_feed_lease_held',
      help: 'Whether this process holds the feed lease and writes the simulated market (1) or not (0)',
      registers,
      collect() {
        this.set(lease.state.kind === 'held' ? 1 : 0);
      },
    });
    new Counter({
      name: 'tickstream_feed_lease_takeovers_total',
      help: 'Times this process took the feed lease over from an earlier holder',
      registers,
      collect() {
        this.reset();
        this.inc(counters.takeovers);
      },
    });
    new Counter({
      name: 'tickstream_feed_fenced_writes_total',
      help: "Writes of this process's feed refused by the log: another feed held the lease",
      registers,
      collect() {
        this.reset();
        this.inc(counters.fencedWrites);
      },
    });
    this.refusals = new Counter({
      name: 'tickstream_ingest_refused_total',
      help: 'POST /api/ticks and /api/status answered with a refusal, by route and reason',
      labelNames: ['route', 'reason'],
      registers,
    });
    // Until this process has seen a tick, it has seen none since it started.
    const watchedFrom = Date.now();
    let newest: string | undefined;
    this.newestTicks = bus.allEvents.subscribe((event) => {
      if (event.kind === 'tick') {
        newest = event.id;
      }
    });
    new Gauge({
      name: 'tickstream_newest_tick_age_seconds',
      help: 'Seconds since the newest tick of the partition was numbered (since start, until one is seen)',
      labelNames: ['partition'],
      registers,
      collect() {
        const now = Date.now();
        const age = secondsSince(newest, now) ?? (now - watchedFrom) / 1000;
        this.set({ partition: ONLY_PARTITION }, age);
      },
    });
    new Gauge({
      name: 'tickstream_symbols',
      help: 'Symbols of SYMBOLS by trading state (open, halted, closed), as this instance knows them',
      labelNames: ['state'],
      registers,
      collect() {
        for (const state of TRADING_STATES) {
          const count = registry.profiles.filter(({ symbol }) => states.stateOf(symbol) === state);
          this.set({ state }, count.length);
        }
      },
    });
  }

  /** Middleware for an ingest route that counts its refusals once they have been answered. */
  refusalCounter(
    route: IngestRoute,
  ): (request: Request, response: Response, next: NextFunction) => void {
    return (_request, response, next) => {
      response.once('finish', () => {
        const status = response.statusCode;
        if (status >= 400) {
          this.refusals.inc({ route, reason: REFUSAL_REASONS[status] ?? `status_${status}` });
        }
      });
      next();
    };
  }

  onModuleDestroy(): void {
    this.newestTicks.unsubscribe();
  }
}
