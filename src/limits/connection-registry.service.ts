import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/** Which limit refused a stream. */
export type ConnectionLimit = 'process' | 'client';

/** What holds a place in the counts: an open stream. */
export interface PlaceHolder {
  /** Ends the stream, because the process is draining. */
  end(): void;
}

/**
 * Counts open streams, for the whole process and per client, against MAX_CONNECTIONS and
 * MAX_CONNECTIONS_PER_CLIENT, and ends them all when the process drains.
 */
@Injectable()
export class ConnectionRegistry {
  private total = 0;
  private readonly byClient = new Map<string, number>();
  /** The open streams, to end when the process drains. */
  private readonly holders = new Set<PlaceHolder>();
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
   * Takes a place for one more stream of `client`, held by `holder`, or says which limit refuses
   * it. The holder is ended when the process drains: at once, if it already is.
   */
  acquire(client: string, holder: PlaceHolder): ConnectionLimit | undefined {
    const limit = this.refusal(client);
    if (limit !== undefined) {
      return limit;
    }
    this.total++;
    this.byClient.set(client, this.openFor(client) + 1);
    this.holders.add(holder);
    if (this.draining) {
      holder.end();
    }
    return undefined;
  }

  /** Gives back the place `holder` took; only the first call for a holder counts. */
  release(client: string, holder: PlaceHolder): void {
    if (!this.holders.delete(holder)) {
      return;
    }
    this.total--;
    const left = this.openFor(client) - 1;
    if (left > 0) {
      this.byClient.set(client, left);
    } else {
      this.byClient.delete(client);
    }
  }

  /** Ends every open stream, and any opened from now on. */
  endAll(): void {
    this.draining = true;
    this.holders.forEach((holder) => holder.end());
  }
}
