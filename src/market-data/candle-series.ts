import type { Candle, Quote } from '@tickstream/client/contract';

/**
 * Bars of one symbol at one interval, built from its quotes; keeps the newest `capacity`.
 * `history` continues bars made elsewhere, as the page does with the server's candles.
 */
export class CandleSeries {
  private readonly bars: Candle[];

  constructor(
    private readonly intervalMs: number,
    private readonly capacity: number,
    history: readonly Candle[] = [],
  ) {
    this.bars = history.slice(-capacity).map((bar) => ({ ...bar }));
  }

  add({ price, size, ts }: Quote): void {
    const time = Math.floor(ts / this.intervalMs) * (this.intervalMs / 1000);
    const last = this.bars.at(-1);
    if (last && last.time === time) {
      last.high = Math.max(last.high, price);
      last.low = Math.min(last.low, price);
      last.close = price;
      last.volume += size;
      return;
    }
    if (last && time < last.time) {
      // A late quote for a closed bar: bars are immutable once a newer one has opened.
      return;
    }
    this.bars.push({ time, open: price, high: price, low: price, close: price, volume: size });
    if (this.bars.length > this.capacity) {
      this.bars.shift();
    }
  }

  /** The newest `limit` bars, oldest first. */
  latest(limit: number): Candle[] {
    return this.bars.slice(-limit).map((bar) => ({ ...bar }));
  }
}
