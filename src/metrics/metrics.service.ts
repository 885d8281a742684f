import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import { EventLog } from '../bus/event-log.js';
import { secondsSince } from './seconds-since.js';
import { StreamCounters } from './stream-counters.js';

/** Lag buckets in seconds: sub-millisecond fan-out up to multi-second stalls. */
const LAG_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** The process's metrics in Prometheus text format: streams, fan-out, lags, Node.js runtime. */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();
  readonly streams = new StreamCounters();
  private readonly writeLag: Histogram;
  private readonly busEvents: Subscription;

  constructor(bus: EventLog) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which Prometheus's own lint (promtool check metrics) refuses;
    // each is the sum over its labelled gauge (nodejs_active_handles and the like).
    MISNAMED_DEFAULT_GAUGES.forEach((name) => this.registry.removeSingleMetric(name));
    const streams = this.streams;
    const counted = (name: string, help: string, read: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    };
    new Gauge({
      name: 'tickstream_streams_open',
      help: 'Streams open now',
      registers,
      collect() {
        this.set(streams.open);
      },
    });
    new Gauge({
      name: 'tickstream_bus_subscriptions',
      help: "Subscriptions to the bus's per-symbol streams: one per symbol read, not per stream",
      registers,
      collect() {
        this.set(bus.subscriberCount);
      },
    });
    counted('tickstream_streams_opened_total', 'Streams opened', () => streams.opened);
    counted('tickstream_streams_closed_total', 'Streams closed', () => streams.closed);
    counted('tickstream_events_sent_total', 'Events written to clients', () => streams.eventsSent);
    counted('tickstream_bytes_sent_total', 'Bytes of events written', () => streams.bytesSent);
    counted(
      'tickstream_events_conflated_total',
      'Ticks superseded by a newer tick of their symbol before they were sent',
      () => streams.eventsConflated,
    );
    counted(
      'tickstream_slow_clients_cut_total',
      'Streams closed because their client stopped reading',
      () => streams.slowClientsCut,
    );
    counted(
      'tickstream_events_replayed_total',
      'Ticks sent from history to resuming clients',
      () => streams.eventsReplayed,
    );
    counted(
      'tickstream_resets_total',
      'Resumes answered with a reset and a fresh snapshot',
      () => streams.resets,
    );
    this.writeLag = new Histogram({
      name: 'tickstream_tick_to_write_lag_seconds',
      help: 'From a tick entering the bus to its frames being written, per write round (its oldest tick)',
      buckets: LAG_BUCKETS,
      registers,
    });
    const busLag = new Histogram({
      name: 'tickstream_bus_lag_seconds',
      help: 'From an event being numbered by the bus to it reaching this process',
      buckets: LAG_BUCKETS,
      registers,
    });
    this.busEvents = bus.allEvents.subscribe((event) => {
      const lag = secondsSince(event.id, Date.now());
      if (lag !== undefined) {
        busLag.observe(lag);
      }
    });
  }

  /** Reports the replays in flight and waiting, read when metrics are scraped. */
  watchReplays(load: () => { running: number; waiting: number }): void {
    const registers = [this.registry];
    new Gauge({
      name: 'tickstream_replays_running',
      help: 'Resuming streams reading history now',
      registers,
      collect() {
        this.set(load().running);
      },
    });
    new Gauge({
      name: 'tickstream_replays_waiting',
      help: 'Resuming streams waiting for their turn to read history (MAX_CONCURRENT_REPLAYS)',
      registers,
      collect() {
        this.set(load().waiting);
      },
    });
  }

  /** After a write round: `oldestTickId` is the oldest tick written in it, if any. */
  observeWrite(oldestTickId: string | undefined): void {
    const lag = secondsSince(oldestTickId, Date.now());
    if (lag !== undefined) {
      this.writeLag.observe(lag);
    }
  }

  onModuleDestroy(): void {
    this.busEvents.unsubscribe();
  }
}
