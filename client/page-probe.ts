import type { PriceChart } from './price-chart.js';
import type { Quote } from '@tickstream/client';

export interface LoggedTick {
  id: string;
  symbol: string;
  price: number;
}

const TICK_LOG_SIZE = 20_000;

/**
 * What the page received and what its chart holds, as `window.tickstream`: end-to-end tests
 * compare it with the server's history, and a person can read it from the console.
 */
export class PageProbe {
  /** The newest ticks received, oldest first. */
  readonly ticks: LoggedTick[] = [];

  constructor(private readonly chart: PriceChart) {}

  logTick(id: string, { symbol, price }: Quote): void {
    this.ticks.push({ id, symbol, price });
    // Trimmed in batches: one splice per tick would copy the whole log every time.
    if (this.ticks.length >= 2 * TICK_LOG_SIZE) {
      this.ticks.splice(0, this.ticks.length - TICK_LOG_SIZE);
    }
  }

  chartState(): ReturnType<PriceChart['inspect']> {
    return this.chart.inspect();
  }

  /** Where in the page the chart draws the bar of `time` (seconds), if it is in view. */
  chartX(time: number): number | undefined {
    return this.chart.xOf(time);
  }
}

declare global {
  interface Window {
    tickstream: PageProbe;
  }
}
