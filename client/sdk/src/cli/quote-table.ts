import type { Quote } from '../contract/index.js';

const TIME_WIDTH = 12;
const NUMBER_WIDTH = 10;

/** Aligned lines for a terminal: a header, then one row per quote. */
export class QuoteTable {
  private readonly symbolWidth: number;

  constructor(symbols: readonly string[]) {
    this.symbolWidth = Math.max('SYMBOL'.length, ...symbols.map((symbol) => symbol.length));
  }

  header(): string {
    return this.line('TIME', 'SYMBOL', ['PRICE', 'BID', 'ASK', 'SIZE']);
  }

  row({ ts, symbol, price, bid, ask, size }: Quote): string {
    return this.line(clock(ts), symbol, [money(price), money(bid), money(ask), String(size)]);
  }

  private line(time: string, symbol: string, numbers: string[]): string {
    const right = numbers.map((cell) => cell.padStart(NUMBER_WIDTH));
    return [time.padEnd(TIME_WIDTH), symbol.padEnd(this.symbolWidth), ...right].join(' ');
  }
}

/** Local wall-clock time with milliseconds, e.g. 14:03:07.125. */
function clock(ts: number): string {
  const date = new Date(ts);
  return `${date.toTimeString().slice(0, 8)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** At least cents, and every digit a quote has beyond them. */
function money(value: number): string {
  const text = String(value);
  return (text.split('.')[1]?.length ?? 0) >= 2 ? text : value.toFixed(2);
}
