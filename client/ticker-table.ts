import { make } from './dom.js';
import { formatChange, formatPercent, formatPrice } from './format.js';
import { palette } from './palette.js';
import type { Quote } from '@tickstream/client';
import { Sparkline } from './sparkline.js';

type Direction = 'up' | 'down' | 'flat';

interface Row {
  element: HTMLTableRowElement;
  last: HTMLElement;
  change: HTMLElement;
  percent: HTMLElement;
  bid: HTMLElement;
  ask: HTMLElement;
  sparkline: Sparkline;
  quote?: Quote;
  /** The session's opening price: the first 1m bar's open, or the first price seen until then. */
  open?: number;
  direction: Direction;
  flash?: Exclude<Direction, 'flat'>;
}

const FLASH_MS = 600;

/** One row per subscribed symbol; updates are drawn once per animation frame. */
export class TickerTable {
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<Row>();
  private frame: number | undefined;
  private readonly flashColors: Record<Exclude<Direction, 'flat'>, string>;

  constructor(
    private readonly body: HTMLTableSectionElement,
    onSelect: (symbol: string) => void,
  ) {
    const { upSoft, downSoft } = palette();
    this.flashColors = { up: upSoft, down: downSoft };
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

  /** Shows exactly `symbols`, in that order, keeping what is known of the ones that stay. */
  setSymbols(symbols: readonly string[], names: ReadonlyMap<string, string>): void {
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
      }
      return row.element;
    });
    this.body.replaceChildren(...ordered);
  }

  select(symbol: string): void {
    for (const [rowSymbol, { element }] of this.rows) {
      element.setAttribute('aria-current', String(rowSymbol === symbol));
    }
  }

  /** A new quote; `live` ticks flash the row, snapshot quotes do not. */
  update(quote: Quote, live: boolean): void {
    const row = this.rows.get(quote.symbol);
    if (!row) {
      return;
    }
    const previous = row.quote?.price;
    row.direction =
      previous === undefined || quote.price === previous
        ? row.direction
        : quote.price > previous
          ? 'up'
          : 'down';
    if (live && previous !== undefined && quote.price !== previous) {
      row.flash = row.direction === 'up' ? 'up' : 'down';
    }
    row.quote = quote;
    row.open ??= quote.price;
    row.sparkline.add(quote.price);
    this.markDirty(row);
  }

  setOpen(symbol: string, open: number): void {
    const row = this.rows.get(symbol);
    if (row) {
      row.open = open;
      this.markDirty(row);
    }
  }

  /** After a gap the server's session may have restarted: forget opens and recent prices. */
  newSession(): void {
    for (const row of this.rows.values()) {
      row.open = undefined;
      row.sparkline.clear();
    }
  }

  private createRow(symbol: string, name: string): Row {
    const element = make('tr', 'ticker');
    element.dataset.symbol = symbol;
    element.tabIndex = 0;
    element.setAttribute('aria-current', 'false');
    const head = make('th', 'symbol');
    head.scope = 'row';
    head.append(make('span', 'ticker-symbol', symbol), make('span', 'ticker-name', name));
    const cell = (className: string) => make('td', `num ${className}`, '—');
    const row: Row = {
      element,
      last: cell('last'),
      change: cell('change'),
      percent: cell('percent'),
      bid: cell('side bid'),
      ask: cell('side ask'),
      sparkline: new Sparkline(),
      direction: 'flat',
    };
    const trend = make('td', 'trend');
    trend.append(row.sparkline.element);
    element.append(head, row.last, row.change, row.percent, row.bid, row.ask, trend);
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
    const { quote, open } = row;
    if (!quote) {
      return;
    }
    row.last.textContent = formatPrice(quote.price);
    row.last.dataset.direction = row.direction;
    row.bid.textContent = formatPrice(quote.bid);
    row.ask.textContent = formatPrice(quote.ask);
    if (open !== undefined) {
      const change = quote.price - open;
      const sign = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
      row.change.textContent = formatChange(change);
      row.percent.textContent = formatPercent(open === 0 ? 0 : change / open);
      row.change.dataset.sign = sign;
      row.percent.dataset.sign = sign;
    }
    row.sparkline.render();
    if (row.flash) {
      row.element.animate([{ backgroundColor: this.flashColors[row.flash] }, {}], FLASH_MS);
      row.flash = undefined;
    }
  }
}
