import type { Candle, TradingState } from '@tickstream/client/contract';
import { required } from './dom.js';
import { formatPrice } from './format.js';

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const volume = new Intl.NumberFormat('en-US');
/** What the newest bar is called: it is live only while its symbol trades. */
const NEWEST: Record<TradingState, string> = { open: 'Live', halted: 'Halted', closed: 'Closed' };

/** The OHLCV of one bar, above the chart: the bar under the cursor, else the live one. */
export class ChartLegend {
  private readonly label: HTMLElement;
  private readonly time: HTMLElement;
  private readonly values: Record<(typeof FIELDS)[number], HTMLElement>;

  constructor(private readonly element: HTMLElement) {
    this.label = required('.legend-label', HTMLElement, element);
    this.time = required('[data-field="time"]', HTMLElement, element);
    const field = (name: (typeof FIELDS)[number]) =>
      required(`[data-field="${name}"]`, HTMLElement, element);
    this.values = {
      open: field('open'),
      high: field('high'),
      low: field('low'),
      close: field('close'),
      volume: field('volume'),
    };
  }

  /**
   * Shows `bar` (its time as `timeLabel` writes it), or nothing; `newest` when it is the newest,
   * named for the symbol's `state`.
   */
  show(
    bar: Candle | undefined,
    newest: boolean,
    state: TradingState,
    timeLabel: (seconds: number) => string,
  ): void {
    this.label.textContent = newest ? NEWEST[state] : 'Bar';
    this.element.dataset.state = newest ? state : 'open';
    this.element.dataset.sign = !bar ? 'flat' : bar.close >= bar.open ? 'up' : 'down';
    this.time.textContent = bar ? timeLabel(bar.time) : '';
    for (const name of FIELDS) {
      const value = bar?.[name];
      this.values[name].textContent =
        value === undefined ? '—' : name === 'volume' ? volume.format(value) : formatPrice(value);
    }
  }
}
