import type { BarData, Quote, StatusData } from '../contract/index.js';

const TIME_WIDTH = 12;
const INTERVAL_WIDTH = 3;
const NUMBER_WIDTH = 10;
/** The longest reason printed: a server's text is its own, and may be anything. */
const MAX_REASON_LENGTH = 200;

/**
 * Aligned lines for a terminal: a header, then a row per quote or, for a tail of bars, per bar
 * as it changes (`final` once it has closed); a line per change of a symbol's trading state.
 */
export class TailTable {
  private readonly symbolWidth: number;

  constructor(
    symbols: readonly string[],
    /** Bars instead of quotes. */
    readonly ofBars: boolean,
  ) {
    this.symbolWidth = Math.max('SYMBOL'.length, ...symbols.map((symbol) => symbol.length));
  }

  header(): string {
    return this.ofBars
      ? this.line('TIME', 'SYMBOL', ['BAR'.padEnd(INTERVAL_WIDTH), ...numbers(BAR_COLUMNS)])
      : this.line('TIME', 'SYMBOL', numbers(['PRICE', 'BID', 'ASK', 'SIZE']));
  }

  quote({ ts, symbol, price, bid, ask, size }: Quote): string {
    return this.line(clock(ts), symbol, numbers([money(price), money(bid), money(ask), `${size}`]));
  }

  bar({ symbol, interval, time, open, high, low, close, volume, final }: BarData): string {
    const cells = numbers([money(open), money(high), money(low), money(close), `${volume}`]);
    const row = this.line(clock(time * 1000).slice(0, 8), symbol, [
      interval.padEnd(INTERVAL_WIDTH),
      ...cells,
    ]);
    return final ? `${row} final` : row;
  }

  status({ ts, symbol, state, reason }: StatusData): string {
    const why = reason === null ? '' : ` ${printable(reason).slice(0, MAX_REASON_LENGTH)}`;
    return this.line(clock(ts), symbol, [`${state.toUpperCase()}${why}`]);
  }

  private line(time: string, symbol: string, cells: string[]): string {
    return [time.padEnd(TIME_WIDTH), symbol.padEnd(this.symbolWidth), ...cells].join(' ');
  }
}

const BAR_COLUMNS = ['OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME'];

const numbers = (cells: string[]) => cells.map((cell) => cell.padStart(NUMBER_WIDTH));

/** Control characters from a server must not move the cursor or recolour the terminal. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ');
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
