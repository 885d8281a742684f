import type { Candle } from '@tickstream/client/contract';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 64;
const HEIGHT = 20;
/** A trading day of minutes: the line is the day so far, never a handful of ticks. */
export const TREND_MINUTES = 390;
const MINUTE_S = 60;

/**
 * A tiny line of a symbol's day: a point per minute, the close of its 1m bar; a live price moves
 * the point of its minute. Its row colours it.
 */
export class Sparkline {
  readonly element: SVGSVGElement;
  private readonly line: SVGPolylineElement;
  /** Minute starts (seconds) and their last prices, oldest first. */
  private readonly minutes: number[] = [];
  private readonly prices: number[] = [];

  constructor() {
    this.element = document.createElementNS(SVG, 'svg');
    this.element.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.element.setAttribute('preserveAspectRatio', 'none');
    this.element.setAttribute('class', 'sparkline');
    this.element.setAttribute('aria-hidden', 'true');
    this.line = document.createElementNS(SVG, 'polyline');
    this.line.setAttribute('vector-effect', 'non-scaling-stroke');
    this.element.append(this.line);
  }

  /** The day's 1m bars, oldest first; prices seen since, in newer minutes, stay. */
  setBars(bars: readonly Candle[]): void {
    const newer = this.minutes.flatMap((minute, index) =>
      minute > (bars.at(-1)?.time ?? -Infinity) ? [[minute, this.prices[index]] as const] : [],
    );
    this.minutes.length = 0;
    this.prices.length = 0;
    for (const { time, close } of bars) {
      this.put(time, close);
    }
    for (const [minute, price] of newer) {
      this.put(minute, price);
    }
  }

  /** A live price at `ts` (ms): the latest of its minute. */
  add(price: number, ts: number): void {
    this.put(Math.floor(ts / 1000 / MINUTE_S) * MINUTE_S, price);
  }

  clear(): void {
    this.minutes.length = 0;
    this.prices.length = 0;
  }

  render(): void {
    const low = Math.min(...this.prices);
    const range = Math.max(...this.prices) - low || 1;
    const step = WIDTH / Math.max(this.prices.length - 1, 1);
    const points = this.prices.map(
      (price, index) =>
        `${(index * step).toFixed(1)},${(HEIGHT - 1 - ((price - low) / range) * (HEIGHT - 2)).toFixed(1)}`,
    );
    this.line.setAttribute('points', points.join(' '));
  }

  private put(minute: number, price: number): void {
    const last = this.minutes.at(-1);
    if (last === minute) {
      this.prices[this.prices.length - 1] = price;
    } else if (last === undefined || minute > last) {
      this.minutes.push(minute);
      this.prices.push(price);
      if (this.minutes.length > TREND_MINUTES) {
        this.minutes.shift();
        this.prices.shift();
      }
    }
  }
}
