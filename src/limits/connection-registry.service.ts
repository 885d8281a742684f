import { Injectable } from '@nestjs/common';
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
  /** How to end each open stream. */
  private readonly enders = new Set<() => void>();
  private draining = false;

  constructor(private readonly config: AppConfig) {}

  get open(): number {
    return this.total;
  }

  openFor(client: string): number {
    return this.byClient.get(client) ?? 0;
  }

  /** The limit that would refuse one more stream of `client`, if any. */
  refusal(client: string): ConnectionLimit | undefined {
    const { MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT } = this.config;
    if (MAX_CONNECTIONS > 0 && this.total >= MAX_CONNECTIONS) {
      return 'process';
    }
    if (MAX_CONNECTIONS_PER_CLIENT > 0 && this.openFor(client) >= MAX_CONNECTIONS_PER_CLIENT) {
      return 'client';
    }
    return undefined;
  }

  /**
   * A place for one more stream of `client`, or the limit that refuses it. `end` ends the stream
   * when the process drains: at once, if it already is.
   */
  acquire(client: string, end: () => void): Release | ConnectionLimit {
    const limit = this.refusal(client);
    if (limit !== undefined) {
      return limit;
    }
    this.total++;
    this.byClient.set(client, this.openFor(client) + 1);
    this.enders.add(end);
    let released = false;
    const release = (): void => {
      if (released) {
        return;
      }
      released = true;
      this.enders.delete(end);
      this.total--;
      const left = this.openFor(client) - 1;
      if (left > 0) {
        this.byClient.set(client, left);
      } else {
        this.byClient.delete(client);
      }
    };
    if (this.draining) {
      end();
    }
    return release;
  }

  /** Ends every open stream, and any opened from now on. */
  endAll(): void {
    this.draining = true;
    this.enders.forEach((end) => end());
  }
}
