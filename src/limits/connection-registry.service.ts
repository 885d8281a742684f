import { Injectable } from '@nestjs/common';
import { ReplaySubject, type Observable } from 'rxjs';
import { AppConfig } from '../config/app-config.js';

/** Which limit refused a stream. */
export type ConnectionLimit = 'process' | 'client';

/** An open stream's place in the counts; give it back exactly once, when the stream ends. */
export type Release = () => void;

/**
 * Counts open streams, for the whole process and per client, against MAX_CONNECTIONS and
 * MAX_CONNECTIONS_PER_CLIENT, and ends them all when the process drains.
 */
@Injectable()
export class ConnectionRegistry {
  private total = 0;
  private readonly byClient = new Map<string, number>();
  // Replays, so that a stream that opens while the process drains ends at once too.
  private readonly draining = new ReplaySubject<void>(1);

  constructor(private readonly config: AppConfig) {}

  /** Emits once, when every open stream must end. */
  get ending(): Observable<void> {
    return this.draining;
  }

  get open(): number {
    return this.total;
  }

  openFor(client: string): number {
    return this.byClient.get(client) ?? 0;
  }

  /** A place for one more stream of `client`, or the limit that refuses it. */
  acquire(client: string): Release | ConnectionLimit {
    const { MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT } = this.config;
    if (MAX_CONNECTIONS > 0 && this.total >= MAX_CONNECTIONS) {
      return 'process';
    }
    const mine = this.openFor(client);
    if (MAX_CONNECTIONS_PER_CLIENT > 0 && mine >= MAX_CONNECTIONS_PER_CLIENT) {
      return 'client';
    }
    this.total++;
    this.byClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.total--;
      const left = this.openFor(client) - 1;
      if (left > 0) {
        this.byClient.set(client, left);
      } else {
        this.byClient.delete(client);
      }
    };
  }

  /** Ends every open stream, and any opened from now on. */
  endAll(): void {
    this.draining.next();
    this.draining.complete();
  }
}
