import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ConnectionLimit } from '@tickstream/client/contract';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { StreamCounters } from '../metrics/stream-counters.js';

/** What the registry asks of an open stream. */
export interface OpenPlace {
  /** Whose stream it is: a token's subject, or a client address. */
  readonly client: string;
  /** Sends a heartbeat, unless the stream wrote something since the last one. */
  heartbeat(): void;
  /** Ends the stream cleanly, writing what waits: the process is draining. */
  end(): void;
}

/**
 * The streams open in the process, in one place: their counts against MAX_CONNECTIONS and
 * MAX_CONNECTIONS_PER_CLIENT, one timer for the heartbeats of them all, and the end of them all
 * when the process drains or shuts down.
 */
@Injectable()
export class OpenStreams implements OnModuleDestroy {
  private readonly open = new Set<OpenPlace>();
  private readonly byClient = new Map<string, number>();
  private readonly counters: StreamCounters;
  private heartbeats: NodeJS.Timeout | undefined;
  private draining = false;

  constructor(
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    this.counters = metrics.streams;
  }

  get size(): number {
    return this.open.size;
  }

  /** Whether the process is draining: a stream that opens now is ended at once. */
  get closing(): boolean {
    return this.draining;
  }

  openFor(client: string): number {
    return this.byClient.get(client) ?? 0;
  }

  /** The limit that would refuse one more stream of `client`, if any. */
  refusal(client: string): ConnectionLimit | undefined {
    const { MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT } = this.config;
    if (MAX_CONNECTIONS > 0 && this.open.size >= MAX_CONNECTIONS) {
      return 'process';
    }
    if (MAX_CONNECTIONS_PER_CLIENT > 0 && this.openFor(client) >= MAX_CONNECTIONS_PER_CLIENT) {
      return 'client';
    }
    return undefined;
  }

  /** Counts `place` open, or says which limit refuses it. */
  add(place: OpenPlace): ConnectionLimit | undefined {
    const limit = this.refusal(place.client);
    if (limit !== undefined) {
      return limit;
    }
    this.open.add(place);
    this.byClient.set(place.client, this.openFor(place.client) + 1);
    this.counters.opened++;
    this.counters.open++;
    this.heartbeats ??= setInterval(() => this.beat(), this.config.HEARTBEAT_MS);
    return undefined;
  }

  /** Gives back the place of `place`; only the first call counts. */
  remove(place: OpenPlace): void {
    if (!this.open.delete(place)) {
      return;
    }
    const left = this.openFor(place.client) - 1;
    if (left > 0) {
      this.byClient.set(place.client, left);
    } else {
      this.byClient.delete(place.client);
    }
    this.counters.closed++;
    this.counters.open--;
    if (this.open.size === 0) {
      clearInterval(this.heartbeats);
      this.heartbeats = undefined;
    }
  }

  /** Ends every open stream, writing what waits for each, and any that opens from now on. */
  endAll(): void {
    this.draining = true;
    [...this.open].forEach((place) => place.end());
  }

  onModuleDestroy(): void {
    this.endAll();
  }

  private beat(): void {
    this.open.forEach((place) => place.heartbeat());
  }
}
