import { compareEventIds, type CandleInterval, type EventId } from '@tickstream/client/contract';
import type { SymbolSelection } from '../../bus/latest-values.js';
import type { HeldBar } from './bar-update.js';
import type { Bar } from './bar.js';

/** The series a bar belongs to. */
export interface SeriesKey {
  symbol: string;
  interval: CandleInterval;
}

/** Entries past the bars they stand for beyond which the log drops its stale entries. */
const COMPACT_SLACK = 4096;

/**
 * Every change to the bars a book keeps, in the order the book made them, which is the order of
 * their ids: the book takes events in id order, and a bar closed on the clock is claimed by the
 * last id taken. A bar that changes again gets a new entry and its old one goes stale; a bar the
 * book no longer keeps has none. So "the bars changed since id X" is a binary search and then the
 * entries after it: it costs per change since X, not per bar kept (see BarChangeReader).
 *
 * Stale entries are dropped once they outnumber the bars that have one, so the log holds at most
 * about two entries per bar kept.
 */
export class BarChanges {
  /** The entries, oldest first, as parallel arrays: their numbers, ids, bars and series. */
  private readonly seqs: number[] = [];
  private readonly ids: EventId[] = [];
  private readonly bars: Bar[] = [];
  private readonly keys: SeriesKey[] = [];
  private lastSeq = 0;
  /** Bars that have an entry of their own. */
  private entered = 0;
  /** Counts the compactions: a reader's place among the entries holds until the next. */
  epoch = 0;

  /** `bar` of `key` changed, by the event of its `changedBy`. */
  note(bar: Bar, key: SeriesKey): void {
    if (bar.seq === 0) {
      this.entered++;
    }
    bar.seq = ++this.lastSeq;
    this.seqs.push(bar.seq);
    this.ids.push(bar.changedBy);
    this.bars.push(bar);
    this.keys.push(key);
    if (this.seqs.length > 2 * this.entered + COMPACT_SLACK) {
      this.compact();
    }
  }

  /** The book no longer keeps `bar`. */
  drop(bar: Bar): void {
    if (bar.seq !== 0) {
      this.entered--;
      bar.seq = 0;
    }
  }

  /** A reader of the changes after `after` to bars of `symbols` at `intervals`. */
  after(
    after: EventId,
    symbols: SymbolSelection,
    intervals: readonly CandleInterval[],
  ): BarChangeReader {
    return new BarChangeReader(this, after, symbols, intervals);
  }

  get size(): number {
    return this.seqs.length;
  }

  /** The index of the first entry whose id is after `id`. */
  firstAfterId(id: EventId): number {
    return this.search((i) => compareEventIds(this.ids[i], id) > 0);
  }

  /** The index of the first entry after the one numbered `seq`. */
  firstAfterSeq(seq: number): number {
    return this.search((i) => this.seqs[i] > seq);
  }

  seqAt(index: number): number {
    return this.seqs[index];
  }

  idAt(index: number): EventId {
    return this.ids[index];
  }

  /** The bar of the entry at `index`, unless it changed again since or is no longer kept. */
  barAt(index: number): { bar: Bar; key: SeriesKey } | undefined {
    const bar = this.bars[index];
    return bar.seq === this.seqs[index] ? { bar, key: this.keys[index] } : undefined;
  }

  /** The first index where `isPast` holds, all after it holding too; the length if none. */
  private search(isPast: (index: number) => boolean): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isPast(mid)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Drops the stale entries, in place: no allocation, one pass. */
  private compact(): void {
    const { seqs, ids, bars, keys } = this;
    let kept = 0;
    for (let index = 0; index < seqs.length; index++) {
      if (bars[index].seq === seqs[index]) {
        seqs[kept] = seqs[index];
        ids[kept] = ids[index];
        bars[kept] = bars[index];
        keys[kept] = keys[index];
        kept++;
      }
    }
    seqs.length = kept;
    ids.length = kept;
    bars.length = kept;
    keys.length = kept;
    this.epoch++;
  }
}

/**
 * The changes after an id to the bars a stream reads, taken a page at a time in id order: each
 * bar once, as it stands when its page is read, in the page its last change falls in. It holds
 * only its place in the log, however far back it starts.
 */
export class BarChangeReader {
  /** The number of the last entry read; undefined until the first read finds where to begin. */
  private seq: number | undefined;
  /** Where the next entry is, while the log has not been compacted since. */
  private index = 0;
  private epoch = -1;
  private readonly wanted: (key: SeriesKey) => boolean;

  constructor(
    private readonly log: BarChanges,
    private readonly after: EventId,
    symbols: SymbolSelection,
    intervals: readonly CandleInterval[],
  ) {
    const ofSymbols = new Set(symbols === 'all' ? [] : symbols);
    const ofIntervals = new Set(intervals);
    this.wanted = (key) =>
      ofIntervals.has(key.interval) && (symbols === 'all' || ofSymbols.has(key.symbol));
  }

  /** The bars whose last change is up to `id` and was not read before, oldest change first. */
  upTo(id: EventId): HeldBar[] {
    const { log } = this;
    let index = this.place();
    const taken: HeldBar[] = [];
    for (; index < log.size && compareEventIds(log.idAt(index), id) <= 0; index++) {
      const entry = log.barAt(index);
      if (entry && this.wanted(entry.key)) {
        taken.push({ symbol: entry.key.symbol, interval: entry.key.interval, bar: entry.bar });
      }
    }
    this.seq = index > 0 ? log.seqAt(index - 1) : 0;
    this.index = index;
    this.epoch = log.epoch;
    return taken;
  }

  private place(): number {
    if (this.seq === undefined) {
      return this.log.firstAfterId(this.after);
    }
    return this.epoch === this.log.epoch ? this.index : this.log.firstAfterSeq(this.seq);
  }
}
