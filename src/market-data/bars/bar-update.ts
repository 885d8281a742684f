import type { BarData, CandleInterval, EventId } from '@tickstream/client/contract';
import type { Bar } from './bar.js';

/** A change to a bar, as streams take it: the bar after it, and the id a frame of it carries. */
export interface BarUpdate {
  kind: 'bar';
  /** The event the change followed from: every event up to it was handed on before. */
  id: EventId;
  symbol: string;
  interval: CandleInterval;
  bar: BarData;
  /** `JSON.stringify(bar)`, made once for every stream. */
  data: string;
}

export function toBarUpdate(
  symbol: string,
  interval: CandleInterval,
  { time, open, high, low, close, volume, final, changedBy }: Bar,
  id: EventId = changedBy,
): BarUpdate {
  const bar: BarData = { symbol, interval, time, open, high, low, close, volume, final };
  return { kind: 'bar', id, symbol, interval, bar, data: JSON.stringify(bar) };
}

/** A bar of the book's own, which later events may still change: see BarChanges. */
export interface HeldBar {
  symbol: string;
  interval: CandleInterval;
  bar: Readonly<Bar>;
}
