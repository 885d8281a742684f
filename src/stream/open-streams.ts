import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ConnectionLimit } from '@tickstream/client/contract';
import type { Socket } from 'node:net';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { StreamCounters } from '../metrics/stream-counters.js';
import { Deadlines } from './deadlines.js';

/** What the registry asks of an open stream. */
export interface OpenPlace {
  /** Whose stream it is: a token's subject, or a client address. */
  readonly client: string;
  /** The connection its request came on. */
  readonly connection: Socket;
  /** Sends a heartbeat, unless the stream wrote something since the last one. */
  heartbeat(): void;
  /** Ends the stream cleanly, writing what waits: the process is draining. */
  end(): void;
  /** Ends the stream because its time is up (see expireAt). */
  expire(): void;
}

/**
 * The streams open in the process, in one place: their counts against MAX_CONNECTIONS and
 * MAX_CONNECTIONS_PER_CLIENT, and per connection; one timer for the heartbeats of them all, one
 * for their expiries, and the end of them all when the process drains or shuts down.
 */
@Injectable()
export class OpenStreams implements OnModuleDestroy {
  private readonly open = new Set<OpenPlace>();
  private readonly byClient = new Map<string, number>();
  /** The streams on each connection: open, or waiting for their turn behind another answer. */
  private readonly byConnection = new Map<Socket, number>();
  private readonly entered = new WeakSet<OpenPlace>();
  private readonly enteredOn = new WeakMap<Socket, number>();
  private readonly counters: StreamCounters;
  private heartbeats: NodeJS.Timeout | undefined;
  private readonly expiries = new Deadlines<OpenPlace>((place) => place.expire());
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

  /**
   * Counts `place` on its connection once its answer heads it, before it takes a place (see
   * add). A request `queued` behind another answer is refused when a stream heads its connection
   * already: HTTP/1.1 answers a connection's requests in order, so it could not start before that
   * stream ends, which may be never. Otherwise it counts nothing while it waits (see admit).
   */
  enter(place: OpenPlace, queued: boolean): ConnectionLimit | undefined {
    const streams = this.byConnection.get(place.connection) ?? 0;
    if (queued) {
      return streams > 0 ? 'connection' : undefined;
    }
    this.byConnection.set(place.connection, streams + 1);
    this.enteredOn.set(place.connection, this.streamsEnteredOn(place.connection) + 1);
    this.entered.add(place);
    return undefined;
  }

  /**
   * How many streams have headed `connection`: a request that waited its turn refuses itself when
   * a stream came before it meanwhile. Requests of one connection reach the stream route in any
   * order (their checks take their own time), so one pipelined behind a stream may come first.
   */
  streamsEnteredOn(connection: Socket): number {
    return this.enteredOn.get(connection) ?? 0;
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
    // The streams' sockets keep the process alive while they are open; their heartbeats must not.
    this.heartbeats ??= setInterval(() => this.beat(), this.config.HEARTBEAT_MS).unref();
    return undefined;
  }

  /** Has `place` expire at `at` (ms since the epoch), unless it is removed before. */
  expireAt(place: OpenPlace, at: number): void {
    this.expiries.set(place, at);
  }

  /** Gives back what `place` entered and took; only the first call counts. */
  remove(place: OpenPlace): void {
    this.expiries.delete(place);
    if (this.entered.delete(place)) {
      countDown(this.byConnection, place.connection);
    }
    if (!this.open.delete(place)) {
      return;
    }
    countDown(this.byClient, place.client);
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

/** Counts one fewer of `key`, and forgets it at none. */
function countDown<K>(counts: Map<K, number>, key: K): void {
  const left = (counts.get(key) ?? 0) - 1;
  if (left > 0) {
    counts.set(key, left);
  } else {
    counts.delete(key);
  }
}
