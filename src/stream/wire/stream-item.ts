import type { MarketEvent } from '../../bus/market-event.js';
import type { CandleInterval } from '@tickstream/client/contract';
import type { BarUpdate } from '../../market-data/bars/bar-update.js';

/** What a stream carries after its opening: the bus's events, and the bars made of them. */
export type StreamItem = MarketEvent | BarUpdate;

/**
 * The key under which a newer item replaces an older one, in a throttle's window or for a client
 * that is not reading: a symbol's latest tick, a bar's latest state. A status change is never
 * replaced.
 */
export function supersedeKey(item: StreamItem): string {
  switch (item.kind) {
    case 'tick':
      return item.symbol;
    case 'bar':
      return barKey(item.symbol, item.interval, item.bar.time);
    case 'status':
      return `status ${item.id}`;
  }
}

/** The key of one bar: its symbol, interval and time. */
export function barKey(symbol: string, interval: CandleInterval, time: number): string {
  return `${symbol} ${interval} ${time}`;
}
