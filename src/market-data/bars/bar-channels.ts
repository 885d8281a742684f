import type { CandleInterval } from '@tickstream/client/contract';
import type { Observable } from 'rxjs';
import { HotSubjects } from '../../bus/hot-subjects.js';
import type { BarUpdate } from './bar-update.js';

/** A symbol's bars at an interval; without a symbol, every symbol's. */
interface BarChannel {
  interval: CandleInterval;
  symbol?: string;
}

const keyOf = ({ interval, symbol }: BarChannel): string =>
  symbol === undefined ? interval : `${interval} ${symbol}`;

/**
 * The live bar updates of each symbol and interval, and of every symbol per interval, each a hot
 * stream while anyone reads it: an update is made only for bars someone reads.
 */
export class BarChannels {
  private readonly channels = new HotSubjects<BarChannel, BarUpdate>(keyOf);

  get subscriberCount(): number {
    return this.channels.subscriberCount;
  }

  /** Whether anyone reads the bars of `symbol` at `interval`. */
  wanted(interval: CandleInterval, symbol: string): boolean {
    return this.channels.has({ interval, symbol }) || this.channels.has({ interval });
  }

  emit(update: BarUpdate): void {
    const { interval, symbol } = update;
    this.channels.emit({ interval, symbol }, update);
    this.channels.emit({ interval }, update);
  }

  /** The bars of `symbol` at `interval`, or of every symbol without one. */
  of(interval: CandleInterval, symbol?: string): Observable<BarUpdate> {
    return this.channels.of({ interval, symbol });
  }

  /** Ends every channel, so that open subscriptions complete on shutdown. */
  complete(): void {
    this.channels.complete();
  }
}
