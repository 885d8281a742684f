import type { MarketEvent } from '../../bus/market-event.js';
import { toTick } from '../../bus/tick.js';
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

/**
 * What goes out for `older` and the `newer` item of its key that replaces it: the newer, but a
 * quote alone never replaces the trade before it: the trade's price, size and time go out with
 * the newer quote (its bid, ask and their sizes), as a trade. So a throttled or slow client that
 * misses a symbol's ticks never misses its last trade.
 */
export function supersede(older: StreamItem, newer: StreamItem): StreamItem {
  if (
    older.kind !== 'tick' ||
    newer.kind !== 'tick' ||
    older.quote.kind !== 'trade' ||
    newer.quote.kind !== 'quote'
  ) {
    return newer;
  }
  const { price, size, ts } = older.quote;
  return toTick(newer.id, { ...newer.quote, kind: 'trade', price, size, ts });
}

/** The key of one bar: its symbol, interval and time. */
export function barKey(symbol: string, interval: CandleInterval, time: number): string {
  return `${symbol} ${interval} ${time}`;
}
