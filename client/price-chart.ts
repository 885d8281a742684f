import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { CANDLE_INTERVALS, type Candle, type CandleInterval } from '@tickstream/client/contract';
import { CandleSeries } from '../src/market-data/candle-series.js';
import { formatClock } from './format.js';
import { fetchCandles } from './market-api.js';
import { palette } from './palette.js';
import type { Quote } from '@tickstream/client';

/** As many bars as the server keeps by default; older ones are off any sensible screen. */
const BAR_LIMIT = 1000;

const asTime = (seconds: number) => seconds as UTCTimestamp;
const timeLabel = (time: Time) => (typeof time === 'number' ? formatClock(time * 1000) : '');

const toCandlestick = ({ time, open, high, low, close }: Candle): CandlestickData<Time> => ({
  time: asTime(time),
  open,
  high,
  low,
  close,
});

/** Candlesticks and volume of one symbol: the server's bars first, then live from its ticks. */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly theme = palette();
  /** Undefined while the server's bars are loading. */
  private bars: CandleSeries | undefined;
  private loading: AbortController | undefined;
  private shown: { symbol: string; interval: CandleInterval } | undefined;
  private updates = 0;

  constructor(container: HTMLElement) {
    const { theme } = this;
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: theme.background },
        textColor: theme.text,
        fontSize: 11,
        attributionLogo: true,
      },
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      rightPriceScale: { borderColor: theme.border },
      timeScale: {
        borderColor: theme.border,
        timeVisible: true,
        secondsVisible: true,
        barSpacing: 8,
        rightOffset: 4,
        tickMarkFormatter: timeLabel,
      },
      localization: { timeFormatter: timeLabel },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: theme.up,
      downColor: theme.down,
      borderVisible: false,
      wickUpColor: theme.up,
      wickDownColor: theme.down,
    });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: '',
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  }

  /** Loads the server's bars of `symbol` at `interval`; ticks update the chart once they are in. */
  async show(symbol: string, interval: CandleInterval): Promise<void> {
    this.loading?.abort();
    const loading = new AbortController();
    this.loading = loading;
    this.shown = { symbol, interval };
    this.bars = undefined;
    const history = await fetchCandles(symbol, interval, BAR_LIMIT, loading.signal);
    if (loading.signal.aborted) {
      return;
    }
    // Ticks that arrived while loading are left out: the server's bars already count most of
    // them, and counting one twice would inflate the bar's volume.
    this.bars = new CandleSeries(CANDLE_INTERVALS[interval], BAR_LIMIT, history);
    this.candles.setData(history.map(toCandlestick));
    this.volume.setData(history.map((bar) => this.toVolume(bar)));
    this.chart.timeScale().applyOptions({ secondsVisible: interval === '1s' });
  }

  /** Reloads what is shown, e.g. after a gap in the stream. */
  reload(): Promise<void> {
    return this.shown ? this.show(this.shown.symbol, this.shown.interval) : Promise.resolve();
  }

  add(quote: Quote): void {
    if (!this.bars || quote.symbol !== this.shown?.symbol) {
      return;
    }
    this.bars.add(quote);
    const [bar] = this.bars.latest(1);
    if (bar) {
      this.candles.update(toCandlestick(bar));
      this.volume.update(this.toVolume(bar));
      this.updates++;
    }
  }

  private toVolume({ time, open, close, volume }: Candle): HistogramData<Time> {
    const color = close >= open ? this.theme.upSoft : this.theme.downSoft;
    return { time: asTime(time), value: volume, color };
  }

  /** What the chart holds, read back from the chart itself. */
  inspect(): { symbol?: string; interval?: CandleInterval; updates: number; bars: Candle[] } {
    const volumes = new Map(this.volume.data().map((point) => [point.time, point]));
    const bars = this.candles.data().flatMap((point) => {
      const volume = volumes.get(point.time);
      return 'open' in point && typeof point.time === 'number'
        ? [
            {
              time: point.time,
              open: point.open,
              high: point.high,
              low: point.low,
              close: point.close,
              volume: volume && 'value' in volume ? volume.value : 0,
            },
          ]
        : [];
    });
    return { ...this.shown, updates: this.updates, bars };
  }
}
