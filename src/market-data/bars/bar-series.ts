import {
  CANDLE_INTERVALS,
  compareEventIds,
  type Candle,
  type EventId,
  type Quote,
} from '@tickstream/client/contract';
import type { BarChanges, SeriesKey } from './bar-changes.js';
import type { Bar, TickOrder } from './bar.js';

const toCandle = ({ time, open, high, low, close, volume }: Bar): Candle => ({
  time,
  open,
  high,
  low,
  close,
  volume,
});

/** A bar made up before the first live tick came from no event: every id is after it. */
const BEFORE_ANY_ID = '0-0';

/** Whether `a` came before `b`: by time, then by id. */
const before = (a: TickOrder, b: TickOrder): boolean =>
  a.ts < b.ts || (a.ts === b.ts && compareEventIds(a.id, b.id) < 0);

/**
 * One symbol's bars at one interval, newest last, at most `capacity`. A tick goes into the bar of
 * its time: the open one, a new one (which closes the one before), or, late, an older one still
 * kept, which it corrects. The open bar also closes when the market's clock passes its end.
 *
 * A bar's open and close are the prices of its first and last ticks by time (then id), not by
 * arrival: so a bar is the same whether a late tick came before or after it closed, and every
 * instance that has the bar's ticks makes the same bar, however its clock closed it.
 *
 * Every change it makes, and every bar it lets go, it tells the book's change log.
 */
export class BarSeries {
  private readonly bars: Bar[] = [];
  private readonly intervalMs: number;

  constructor(
    private readonly key: SeriesKey,
    private readonly capacity: number,
    private readonly changes: BarChanges,
  ) {
    this.intervalMs = CANDLE_INTERVALS[key.interval];
  }

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
    const order = { ts, id };
    if (!last || time > last.time) {
      const closed = this.close(id);
      const candle = { time, open: price, high: price, low: price, close: price, volume: size };
      const bar: Bar = {
        ...candle,
        final: false,
        changedBy: id,
        first: order,
        last: order,
        seq: 0,
      };
      this.bars.push(bar);
      this.changes.note(bar, this.key);
      this.trim();
      return closed ? [closed, bar] : [bar];
    }
    // The open bar, or a late quote for a bar that closed: a correction, as long as it is kept.
    const bar = time === last.time ? last : this.find(time);
    if (!bar) {
      return this.insertLate(time, price, size, order);
    }
    bar.high = Math.max(bar.high, price);
    bar.low = Math.min(bar.low, price);
    if (before(order, bar.first)) {
      bar.open = price;
      bar.first = order;
    }
    if (!before(order, bar.last)) {
      bar.close = price;
      bar.last = order;
    }
    bar.volume += size;
    bar.changedBy = id;
    this.changes.note(bar, this.key);
    return [bar];
  }

  /** Closes the open bar, `by` the event that says its time is over; returns it. */
  close(by: EventId): Bar | undefined {
    const open = this.open;
    if (open) {
      open.final = true;
      open.changedBy = by;
      this.changes.note(open, this.key);
    }
    return open;
  }

  /** The newest `limit` bars, oldest first, as candles. */
  latest(limit: number): Candle[] {
    return this.bars.slice(-limit).map(toCandle);
  }

  /**
   * The bars that begin from `from` to `to` (s since the epoch, both included), oldest first, at
   * most `limit`; and where the next of them begins, when there are more.
   */
  between(from: number, to: number, limit: number): { candles: Candle[]; next?: number } {
    const start = this.firstFrom(from);
    const end = Math.min(this.firstFrom(to + 1), start + limit);
    const after = this.bars[end];
    return {
      candles: this.bars.slice(start, end).map(toCandle),
      ...(after && after.time <= to ? { next: after.time } : {}),
    };
  }

  /** When the oldest and the newest bar kept begin (s since the epoch), if any is. */
  get held(): { first: number; last: number } | undefined {
    const first = this.bars[0];
    const last = this.bars.at(-1);
    return first && last ? { first: first.time, last: last.time } : undefined;
  }

  /** The bars a stream opening now is sent: the last closed one and the open one. */
  current(): Bar[] {
    const open = this.open;
    const closed = this.bars.at(open ? -2 : -1);
    return [closed, open].filter((bar): bar is Bar => bar !== undefined);
  }

  /**
   * Takes the bars of the market's past that began before `ownFrom` (ms since the epoch), when
   * this series began to see every tick: its own bars from then on are whole and stay, its bars
   * from before (made of what it saw of them) give way to the past's where it has them. The
   * past's last bar may be the one live ticks go on with (the simulated market's past ends where
   * its live market begins).
   */
  addPast(past: readonly Candle[], ownFrom: number): void {
    const inPast = new Set(past.map((bar) => bar.time));
    const own = this.bars.filter((bar) => bar.time * 1000 >= ownFrom || !inPast.has(bar.time));
    const older = past
      .filter((bar) => own.length === 0 || bar.time < own[0].time)
      .map((bar): Bar => {
        // Made up, or made elsewhere: any live tick of its time comes after what it holds.
        const edge = { ts: bar.time * 1000, id: BEFORE_ANY_ID };
        return { ...bar, final: true, changedBy: BEFORE_ANY_ID, first: edge, last: edge, seq: 0 };
      });
    const last = older.at(-1);
    if (last && this.bars.length === 0) {
      last.final = false;
    }
    const room = Math.max(0, this.capacity - own.length);
    const kept = new Set(own);
    this.bars.filter((bar) => !kept.has(bar)).forEach((bar) => this.changes.drop(bar));
    this.bars.splice(0, this.bars.length, ...older.slice(Math.max(0, older.length - room)), ...own);
  }

  /**
   * Bars from outside (a feed's history), oldest first, each closed: one goes where this series
   * has no bar made of ticks, before its open bar, replacing a bar made up or posted before; where
   * a bar made of ticks is, that one wins. A bar older than all kept, when the series is full, is
   * left out. Returns how many were taken.
   */
  addBars(candles: readonly Candle[]): number {
    const openTime = this.open?.time ?? Infinity;
    let taken = 0;
    // Newest first: when the series fills, the oldest are the ones left out.
    for (const candle of [...candles].reverse()) {
      const at = this.firstFrom(candle.time);
      const kept = this.bars.at(at);
      const same = kept?.time === candle.time;
      const full = this.bars.length >= this.capacity;
      if (
        candle.time >= openTime ||
        (same && kept.changedBy !== BEFORE_ANY_ID) ||
        (!same && full && at === 0)
      ) {
        continue;
      }
      const edge = { ts: candle.time * 1000, id: BEFORE_ANY_ID };
      const bar: Bar = {
        ...candle,
        final: true,
        changedBy: BEFORE_ANY_ID,
        first: edge,
        last: edge,
        seq: 0,
      };
      if (same) {
        this.bars[at] = bar;
      } else {
        this.bars.splice(at, 0, bar);
        this.trim();
      }
      taken++;
    }
    return taken;
  }

  /** Every bar kept, as candles, for an instance that starts later. */
  candles(): Candle[] {
    return this.latest(this.capacity);
  }

  /**
   * A late quote of a time that has no bar among those kept (a feed's backlog comes out of order,
   * symbol by symbol): its own bar, closed, where it falls, unless it falls before all that is
   * kept when the series is full.
   */
  private insertLate(time: number, price: number, size: number, order: TickOrder): Bar[] {
    if (this.bars.length >= this.capacity && time < this.bars[0].time) {
      return [];
    }
    const candle = { time, open: price, high: price, low: price, close: price, volume: size };
    const bar: Bar = {
      ...candle,
      final: true,
      changedBy: order.id,
      first: order,
      last: order,
      seq: 0,
    };
    this.bars.splice(this.firstFrom(time), 0, bar);
    this.changes.note(bar, this.key);
    this.trim();
    return [bar];
  }

  /** Lets the oldest bar go when there is one too many. */
  private trim(): void {
    const gone = this.bars.length > this.capacity ? this.bars.shift() : undefined;
    if (gone) {
      this.changes.drop(gone);
    }
  }

  private find(time: number): Bar | undefined {
    const bar = this.bars[this.firstFrom(time)];
    return bar?.time === time ? bar : undefined;
  }

  /** The index of the first bar that begins at or after `time` (s); the length if none does. */
  private firstFrom(time: number): number {
    let low = 0;
    let high = this.bars.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.bars[mid].time < time) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
