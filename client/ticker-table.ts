import {
  changeFromPreviousClose,
  dayAfterTrade,
  UNKNOWN_DAY,
  type Candle,
  type DayFigures,
  type Quote,
  type SnapshotQuote,
  type SymbolInfo,
  type TradingState,
} from '@tickstream/client/contract';
import { make } from './dom.js';
import {
  formatChange,
  formatClock,
  formatPercent,
  formatPrice,
  formatVolume,
  signOf,
} from './format.js';
import { palette } from './palette.js';
import { Sparkline } from './sparkline.js';

interface Row {
  element: HTMLTableRowElement;
  last: HTMLElement;
  change: HTMLElement;
  percent: HTMLElement;
  bid: HTMLElement;
  ask: HTMLElement;
  volume: HTMLElement;
  high: HTMLElement;
  low: HTMLElement;
  lastTrade: HTMLElement;
  /** Says, in words, that the symbol does not trade; hidden while it does. */
  stateTag: HTMLElement;
  state: TradingState;
  /** Why it does not trade, when the source said. */
  reason: string | null;
  sparkline: Sparkline;
  quote?: Quote;
  /** The day's figures: the server's, with every trade since folded in as the server does. */
  day: DayFigures;
  /** The symbol closed since its last trade: its next trade begins another session. */
  ended: boolean;
  flash: boolean;
  /** Whether the stream has said anything of the symbol: it knows better than a REST answer. */
  heard: boolean;
}

const FLASH_MS = 600;
const STATE_LABELS: Record<TradingState, string> = {
  open: 'Open',
  halted: 'Halted',
  closed: 'Closed',
};

/**
 * One row per subscribed symbol; updates are drawn once per animation frame. A row's direction
 * is its change from the previous close, as shown: the arrow and the colour of the last price,
 * the change, the change % and the trend line all follow it (through the row's `data-sign`), so
 * none contradicts another. A new trade flashes the row without a direction.
 */
export class TickerTable {
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<Row>();
  private frame: number | undefined;
  private readonly flashColor = palette().flash;

  constructor(
    private readonly body: HTMLTableSectionElement,
    onSelect: (symbol: string) => void,
  ) {
    const selectFrom = (target: EventTarget | null) => {
      const symbol = target instanceof Element ? target.closest('tr')?.dataset.symbol : undefined;
      if (symbol) {
        onSelect(symbol);
      }
    };
    body.addEventListener('click', (event) => selectFrom(event.target));
    body.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        selectFrom(event.target);
      }
    });
  }

  /**
   * Shows exactly `symbols`, in that order, keeping the rows of the ones that stay; returns the
   * symbols that got a new row.
   */
  setSymbols(symbols: readonly string[], names: ReadonlyMap<string, string>): string[] {
    const added: string[] = [];
    for (const [symbol, row] of this.rows) {
      if (!symbols.includes(symbol)) {
        row.element.remove();
        this.dirty.delete(row);
        this.rows.delete(symbol);
      }
    }
    const ordered = symbols.map((symbol) => {
      let row = this.rows.get(symbol);
      if (!row) {
        row = this.createRow(symbol, names.get(symbol) ?? '');
        this.rows.set(symbol, row);
        added.push(symbol);
      }
      return row.element;
    });
    this.body.replaceChildren(...ordered);
    return added;
  }

  select(symbol: string): void {
    for (const [rowSymbol, { element }] of this.rows) {
      element.setAttribute('aria-current', String(rowSymbol === symbol));
    }
  }

  /** A snapshot's quote: the latest price, the symbol's state (why) and the day's figures. */
  snapshot(quote: SnapshotQuote): void {
    const { symbol, kind, price, bid, ask, size, bidSize, askSize, ts } = quote;
    const row = this.rows.get(symbol);
    if (row) {
      this.setState(symbol, quote.state, quote.stateReason);
      row.day = quote.day;
      row.ended = false;
      this.update({ symbol, kind, price, bid, ask, size, bidSize, askSize, ts }, false);
    }
  }

  /**
   * What the REST API says of a symbol whose stream opened without its snapshot (one added to a
   * resumed stream): taken only while the stream has said nothing of it.
   */
  fill({ symbol, quote, ...standing }: SymbolInfo): void {
    const row = this.rows.get(symbol);
    if (!row || row.heard) {
      return;
    }
    if (quote) {
      this.snapshot({ ...quote, ...standing });
    } else {
      this.setState(symbol, standing.state, standing.stateReason);
      row.day = standing.day;
    }
  }

  /** The symbol's 1m bars of the day, for its trend line. */
  trend(symbol: string, bars: readonly Candle[]): void {
    const row = this.rows.get(symbol);
    if (row) {
      row.sparkline.setBars(bars);
      this.markDirty(row);
    }
  }

  /** A new quote; `live` ticks flash the row, snapshot quotes do not. */
  update(quote: Quote, live: boolean): void {
    const row = this.rows.get(quote.symbol);
    if (!row) {
      return;
    }
    row.flash ||= live && quote.price !== row.quote?.price;
    if (live) {
      row.day = dayAfterTrade(row.day, quote, row.ended, row.quote?.price ?? null);
      row.ended &&= quote.size <= 0;
    }
    row.quote = quote;
    row.heard = true;
    row.sparkline.add(quote.price, quote.ts);
    this.markDirty(row);
  }

  /** `symbol` trades (`open`) or not (`halted`, `closed`), and why. */
  setState(symbol: string, state: TradingState, reason: string | null): void {
    const row = this.rows.get(symbol);
    if (!row) {
      return;
    }
    // As on the server, a symbol that closed begins another session with its next trade.
    row.ended ||= state === 'closed';
    row.state = state;
    row.reason = reason;
    row.heard = true;
    row.element.dataset.state = state;
    row.stateTag.textContent = STATE_LABELS[state];
    row.stateTag.title = reason ?? '';
    row.stateTag.hidden = state === 'open';
  }

  /** Whether `symbol` trades, and why not when it does not. */
  stateOf(symbol: string): { state: TradingState; reason: string | null } {
    const row = this.rows.get(symbol);
    return { state: row?.state ?? 'open', reason: row?.reason ?? null };
  }

  /** After a gap the server may have restarted: forget the day until its snapshot says. */
  newSession(): void {
    for (const row of this.rows.values()) {
      row.day = UNKNOWN_DAY;
      row.sparkline.clear();
    }
  }

  private createRow(symbol: string, name: string): Row {
    const element = make('tr', 'ticker');
    element.dataset.symbol = symbol;
    element.dataset.state = 'open';
    element.dataset.sign = 'flat';
    element.tabIndex = 0;
    element.setAttribute('aria-current', 'false');
    const head = make('th', 'symbol');
    head.scope = 'row';
    const stateTag = make('span', 'ticker-state');
    stateTag.hidden = true;
    // The space keeps the symbol and its state two words for a screen reader.
    const symbolText = make('span', 'ticker-symbol', symbol);
    head.append(symbolText, ' ', stateTag, make('span', 'ticker-name', name));
    const cell = (className: string) => make('td', `num ${className}`, '—');
    const row: Row = {
      element,
      last: cell('last'),
      change: cell('change'),
      percent: cell('percent'),
      bid: cell('side bid'),
      ask: cell('side ask'),
      volume: cell('day volume'),
      high: cell('day high'),
      low: cell('day low'),
      lastTrade: cell('day last-trade'),
      stateTag,
      state: 'open',
      reason: null,
      sparkline: new Sparkline(),
      day: UNKNOWN_DAY,
      ended: false,
      flash: false,
      heard: false,
    };
    const trend = make('td', 'trend');
    trend.append(row.sparkline.element);
    element.append(
      head,
      row.last,
      row.change,
      row.percent,
      row.bid,
      row.ask,
      row.volume,
      row.high,
      row.low,
      row.lastTrade,
      trend,
    );
    return row;
  }

  private markDirty(row: Row): void {
    this.dirty.add(row);
    this.frame ??= requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = undefined;
    for (const row of this.dirty) {
      this.drawRow(row);
    }
    this.dirty.clear();
  }

  private drawRow(row: Row): void {
    row.sparkline.render();
    const { quote, day } = row;
    if (!quote) {
      return;
    }
    row.last.textContent = formatPrice(quote.price);
    row.bid.textContent = formatPrice(quote.bid);
    row.ask.textContent = formatPrice(quote.ask);
    row.volume.textContent = formatVolume(day.volume);
    row.high.textContent = day.high === null ? '—' : formatPrice(day.high);
    row.low.textContent = day.low === null ? '—' : formatPrice(day.low);
    row.lastTrade.textContent = day.lastTradeTs === null ? '—' : formatClock(day.lastTradeTs);
    const moved = changeFromPreviousClose(quote.price, day);
    row.change.textContent = moved ? formatChange(moved.change) : '—';
    row.percent.textContent = moved ? formatPercent(moved.percent / 100) : '—';
    row.element.dataset.sign = moved ? signOf(row.change.textContent) : 'flat';
    if (row.flash) {
      row.element.animate([{ backgroundColor: this.flashColor }, {}], FLASH_MS);
      row.flash = false;
    }
  }
}
