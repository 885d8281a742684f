import {
  CANDLE_INTERVALS,
  compareEventIds,
  type Candle,
  type CandleInterval,
} from '@tickstream/client/contract';
import type { ReceivedTick } from './sse-client.js';

/**
 * The OHLCV bars that `ticks` of one symbol make at `interval`, oldest first, worked out here
 * from what a client received: open and close are the first and last ticks by time, then id.
 */
export function barsOfTicks(ticks: readonly ReceivedTick[], interval: CandleInterval): Candle[] {
  const ms = CANDLE_INTERVALS[interval];
  const ordered = [...ticks].sort((a, b) => a.ts - b.ts || compareEventIds(a.id, b.id));
  const bars = new Map<number, Candle>();
  for (const { ts, price, size } of ordered) {
    const time = (Math.floor(ts / ms) * ms) / 1000;
    const bar = bars.get(time);
    if (bar) {
      bar.high = Math.max(bar.high, price);
      bar.low = Math.min(bar.low, price);
      bar.close = price;
      bar.volume += size;
    } else {
      bars.set(time, { time, open: price, high: price, low: price, close: price, volume: size });
    }
  }
  return [...bars.values()].sort((a, b) => a.time - b.time);
}
