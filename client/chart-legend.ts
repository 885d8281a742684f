import type { Candle } from '@tickstream/client/contract';
import { required } from './dom.js';
import { formatPrice } from './format.js';

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const volume = new Intl.NumberFormat('en-US');

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

  /** Shows `bar` (its time as `timeLabel` writes it), `live` when it is the newest, or nothing. */
  show(bar: Candle | undefined, live: boolean, timeLabel: (seconds: number) => string): void {
    this.label.textContent = live ? 'Live' : 'Bar';
    this.element.dataset.sign = !bar ? 'flat' : bar.close >= bar.open ? 'up' : 'down';
    this.time.textContent = bar ? timeLabel(bar.time) : '';
    for (const name of FIELDS) {
      const value = bar?.[name];
      this.values[name].textContent =
        value === undefined ? '—' : name === 'volume' ? volume.format(value) : formatPrice(value);
    }
  }
}
