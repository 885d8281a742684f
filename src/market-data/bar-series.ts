import type { Candle, EventId, Quote } from '@tickstream/client/contract';
import type { Bar } from './bar.js';

/** A bar made up before the first live tick came from no event: every id is after it. */
const BEFORE_ANY_ID = '0-0';

/**
 * One symbol's bars at one interval, newest last, at most `capacity`. A tick goes into the bar of
 * its time: the open one, a new one (which closes the one before), or, late, an older one still
 * kept, which it corrects. The open bar also closes when the market's clock passes its end.
 */
export class BarSeries {
  private readonly bars: Bar[] = [];

  constructor(
    private readonly intervalMs: number,
    private readonly capacity: number,
  ) {}

  /** The bar that has not closed yet, if any. */
  get open(): Bar | undefined {
    const last = this.bars.at(-1);
    return last && !last.final ? last : undefined;
  }

  /** When the open bar ends, in ms since the epoch. */
  get openEnd(): number | undefined {
    const open = this.open;
    return open && open.time * 1000 + this.intervalMs;
  }

  /** Folds a quote in; returns the bars it changed, oldest first: one it closed, one it made. */
  add({ price, size, ts }: Quote, id: EventId): Bar[] {
    const time = Math.floor(ts / this.intervalMs) * (this.intervalMs / 1000);
    const last = this.bars.at(-1);
    if (!last || time > last.time) {
      const closed = this.close(id);
      const bar = { time, open: price, high: price, low: price, close: price, volume: size };
      this.bars.push({ ...bar, final: false, changedBy: id });
      if (this.bars.length > this.capacity) {
        this.bars.shift();
      }
      return closed ? [closed, this.bars[this.bars.length - 1]] : [this.bars[this.bars.length - 1]];
    }
    // The open bar, or a late quote for a bar that closed: a correction, as long as it is kept.
    const bar = time === last.time ? last : this.find(time);
    if (!bar) {
      return [];
    }
    bar.high = Math.max(bar.high, price);
    bar.low = Math.min(bar.low, price);
    if (!bar.final) {
      bar.close = price;
    }
    bar.volume += size;
    bar.changedBy = id;
    return [bar];
  }

  /** Closes the open bar, `by` the event that says its time is over; returns it. */
  close(by: EventId): Bar | undefined {
    const open = this.open;
    if (open) {
      open.final = true;
      open.changedBy = by;
    }
    return open;
  }

  /** The newest `limit` bars, oldest first, as candles. */
  latest(limit: number): Candle[] {
    return this.bars.slice(-limit).map(({ time, open, high, low, close, volume }) => ({
      time,
      open,
      high,
      low,
      close,
      volume,
    }));
  }

  /** The bars a stream opening now is sent: the last closed one and the open one. */
  current(): Bar[] {
    const open = this.open;
    const closed = this.bars.at(open ? -2 : -1);
    return [closed, open].filter((bar): bar is Bar => bar !== undefined);
  }

  /** The bars changed after `id`, oldest first: what a stream resuming from `id` may lack. */
  changedAfter(id: EventId, isAfter: (id: EventId, than: EventId) => boolean): Bar[] {
    return this.bars.filter((bar) => isAfter(bar.changedBy, id));
  }

  /**
   * Puts the bars of the market's past before the live ones. The past ends where live began: a
   * bar of both times is one, the past's open and the live close.
   */
  addPast(past: readonly Candle[]): void {
    const first = this.bars[0];
    const older = past.filter((bar) => !first || bar.time <= first.time);
    const joined = older.map((bar): Bar => ({ ...bar, final: true, changedBy: BEFORE_ANY_ID }));
    const shared = first && joined.at(-1)?.time === first.time ? joined.pop() : undefined;
    if (shared && first) {
      first.open = shared.open;
      first.high = Math.max(first.high, shared.high);
      first.low = Math.min(first.low, shared.low);
      first.volume += shared.volume;
    }
    const last = joined.at(-1);
    if (last && !first) {
      // The past's last bar may still be open: live ticks go on with it.
      last.final = false;
    }
    const room = this.capacity - this.bars.length;
    if (room > 0) {
      this.bars.unshift(...joined.slice(-room));
    }
  }

  private find(time: number): Bar | undefined {
    let low = 0;
    let high = this.bars.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const bar = this.bars[mid];
      if (bar.time === time) {
        return bar;
      }
      if (bar.time < time) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return undefined;
  }
}
