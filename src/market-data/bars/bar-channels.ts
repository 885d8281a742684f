import type { CandleInterval } from '@tickstream/client/contract';
import { Observable, Subject } from 'rxjs';
import type { BarUpdate } from './bar-update.js';

/** The key of a symbol's bars at an interval; without a symbol, of every symbol's. */
const keyOf = (interval: CandleInterval, symbol = '*'): string => `${interval} ${symbol}`;

/**
 * The live bar updates of each symbol and interval, and of every symbol per interval, each a hot
 * stream while anyone reads it: an update is made only for bars someone reads.
 */
export class BarChannels {
  private readonly channels = new Map<string, Subject<BarUpdate>>();
  private subscribers = 0;

  get subscriberCount(): number {
    return this.subscribers;
  }

  /** Whether anyone reads the bars of `symbol` at `interval`. */
  wanted(interval: CandleInterval, symbol: string): boolean {
    return this.channels.has(keyOf(interval, symbol)) || this.channels.has(keyOf(interval));
  }

  emit(update: BarUpdate): void {
    this.channels.get(keyOf(update.interval, update.symbol))?.next(update);
    this.channels.get(keyOf(update.interval))?.next(update);
  }

  /** The bars of `symbol` at `interval`, or of every symbol without one. */
  of(interval: CandleInterval, symbol?: string): Observable<BarUpdate> {
    const key = keyOf(interval, symbol);
    return new Observable<BarUpdate>((subscriber) => {
      let channel = this.channels.get(key);
      if (!channel) {
        channel = new Subject<BarUpdate>();
        this.channels.set(key, channel);
      }
      const subscription = channel.subscribe(subscriber);
      this.subscribers++;
      const own = channel;
      return () => {
        subscription.unsubscribe();
        this.subscribers--;
        if (!own.observed && this.channels.get(key) === own) {
          this.channels.delete(key);
        }
      };
    });
  }

  /** Ends every channel, so that open subscriptions complete on shutdown. */
  complete(): void {
    this.channels.forEach((channel) => channel.complete());
    this.channels.clear();
  }
}
