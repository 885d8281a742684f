import {
  changeFromPreviousClose,
  dayAfterTrade,
  UNKNOWN_DAY,
  type BarData,
  type DayFigures,
  type Quote,
  type SnapshotQuote,
  type StatusData,
} from '../contract/index.js';

const TIME_WIDTH = 12;
const INTERVAL_WIDTH = 3;
const NUMBER_WIDTH = 10;
/** The longest reason printed: a server's text is its own, and may be anything. */
const MAX_REASON_LENGTH = 200;

/** What the table knows of a symbol's day: the snapshot's, with every trade since folded in. */
interface SymbolDay {
  day: DayFigures;
  /** The symbol closed since its last trade: its next trade begins another session. */
  ended: boolean;
  last: number | null;
}

/**
 * Aligned lines for a terminal: a header, then a row per quote (with the change from the previous
 * close and the session's volume, high and low) or, for a tail of bars, per bar as it changes
 * (`final` once it has closed); a line per change of a symbol's trading state.
 */
export class TailTable {
  private readonly symbolWidth: number;
  private readonly days = new Map<string, SymbolDay>();

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
      : this.line('TIME', 'SYMBOL', numbers(QUOTE_COLUMNS));
  }

  /** A snapshot's quote: its row, and the day's figures that the ticks after it move. */
  snapshot(quote: SnapshotQuote): string {
    this.days.set(quote.symbol, { day: quote.day, ended: false, last: quote.price });
    return this.row(quote, quote.day);
  }

  /** A tick: its row, its trade folded into the day. */
  quote(quote: Quote): string {
    const known = this.days.get(quote.symbol) ?? { day: UNKNOWN_DAY, ended: false, last: null };
    const day = dayAfterTrade(known.day, quote, known.ended, known.last);
    this.days.set(quote.symbol, { day, ended: known.ended && quote.size <= 0, last: quote.price });
    return this.row(quote, day);
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
    const known = this.days.get(symbol);
    if (known && state === 'closed') {
      known.ended = true;
    }
    const why = reason === null ? '' : ` ${printable(reason).slice(0, MAX_REASON_LENGTH)}`;
    return this.line(clock(ts), symbol, [`${state.toUpperCase()}${why}`]);
  }

  private row({ ts, symbol, price, bid, ask, size }: Quote, day: DayFigures): string {
    const moved = changeFromPreviousClose(price, day);
    return this.line(
      clock(ts),
      symbol,
      numbers([
        money(price),
        money(bid),
        money(ask),
        `${size}`,
        moved ? signed(moved.change.toFixed(2)) : '-',
        moved ? `${signed(moved.percent.toFixed(2))}%` : '-',
        `${day.volume}`,
        day.high === null ? '-' : money(day.high),
        day.low === null ? '-' : money(day.low),
      ]),
    );
  }

  private line(time: string, symbol: string, cells: string[]): string {
    return [time.padEnd(TIME_WIDTH), symbol.padEnd(this.symbolWidth), ...cells].join(' ');
  }
}

const BAR_COLUMNS = ['OPEN', 'HIGH', 'LOW', 'CLOSE', 'VOLUME'];
/** CHG and CHG% are from the previous close; VOLUME, HIGH and LOW are the session's. */
const QUOTE_COLUMNS = ['PRICE', 'BID', 'ASK', 'SIZE', 'CHG', 'CHG%', 'VOLUME', 'HIGH', 'LOW'];

/** "+1.25", "-0.40", "0.00". */
const signed = (text: string): string => (/^-|^0\.0*$/.test(text) ? text : `+${text}`);

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
