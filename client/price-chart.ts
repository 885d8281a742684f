import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { BarData, Candle, CandleInterval, TradingState } from '@tickstream/client/contract';
import { ChartLegend } from './chart-legend.js';
import { required } from './dom.js';
import { formatClock, formatMinutes } from './format.js';
import { fetchCandles } from './market-api.js';
import { palette } from './palette.js';

/** The bars a chart opens with: a full screen and more to scroll back through. */
const HISTORY_BARS = 300;
/** The candles' share of the height; the volume pane has the rest. */
const CANDLE_PANE_SHARE = 0.78;

const asTime = (seconds: number) => seconds as UTCTimestamp;

const toCandlestick = ({ time, open, high, low, close }: Candle): CandlestickData<Time> => ({
  time: asTime(time),
  open,
  high,
  low,
  close,
});

/**
 * Candlesticks and volume of one symbol at one interval: the server's recent bars, then the bars
 * its stream sends, each replacing the one of the same time. A legend says the OHLCV of the bar
 * under the cursor (else the live one), and "Go to live" shows while the live bar is out of view.
 */
export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly legend: ChartLegend;
  private readonly goLive: HTMLButtonElement;
  private readonly theme = palette();
  /** The charted bars by time, for the legend. */
  private bars = new Map<number, Candle>();
  private last: Candle | undefined;
  /** The bars that came while the history loads; undefined once it is in. */
  private pending: Candle[] | undefined;
  private loading: AbortController | undefined;
  private shown: { symbol: string; interval: CandleInterval } | undefined;
  private hovered: Candle | undefined;
  private state: TradingState = 'open';
  private updates = 0;

  /** A bar's time: to the second for 1s bars, to the minute for 1m bars. */
  private readonly barTime = (seconds: number): string =>
    (this.shown?.interval === '1m' ? formatMinutes : formatClock)(seconds * 1000);
  private readonly timeLabel = (time: Time): string =>
    typeof time === 'number' ? this.barTime(time) : '';

  constructor(area: HTMLElement) {
    const { theme } = this;
    this.legend = new ChartLegend(required('.chart-legend', HTMLElement, area));
    this.goLive = required('.go-live', HTMLButtonElement, area);
    this.chart = createChart(required('.chart', HTMLElement, area), {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: theme.background },
        textColor: theme.text,
        fontSize: 11,
        // The licence's attribution is the page's footer, where it covers no bar.
        attributionLogo: false,
        panes: { separatorColor: theme.border, separatorHoverColor: theme.grid },
      },
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      rightPriceScale: { borderColor: theme.border },
      timeScale: {
        borderColor: theme.border,
        timeVisible: true,
        barSpacing: 8,
        rightOffset: 4,
        tickMarkFormatter: this.timeLabel,
      },
      localization: { timeFormatter: this.timeLabel },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: theme.up,
      downColor: theme.down,
      borderVisible: false,
      wickUpColor: theme.up,
      wickDownColor: theme.down,
    });
    // A label that does not fit whole is left out rather than cut at the pane's edge.
    this.candles
      .priceScale()
      .applyOptions({ entireTextOnly: true, scaleMargins: { top: 0.08, bottom: 0.06 } });
    this.volume = this.chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false },
      1,
    );
    this.volume
      .priceScale()
      .applyOptions({ entireTextOnly: true, scaleMargins: { top: 0.2, bottom: 0 } });
    const [candlePane, volumePane] = this.chart.panes();
    candlePane.setStretchFactor(CANDLE_PANE_SHARE);
    volumePane.setStretchFactor(1 - CANDLE_PANE_SHARE);

    this.chart.subscribeCrosshairMove((param) => this.hover(param));
    const timeScale = this.chart.timeScale();
    timeScale.subscribeVisibleLogicalRangeChange(() => {
      // Negative: the live bar is right of the visible area.
      this.goLive.hidden = this.last === undefined || timeScale.scrollPosition() >= 0;
    });
    this.goLive.addEventListener('click', () => timeScale.scrollToRealTime());
  }

  /** Shows `symbol` at `interval`: its recent bars from the server, then those of the stream. */
  async show(symbol: string, interval: CandleInterval): Promise<void> {
    this.loading?.abort();
    const loading = new AbortController();
    this.loading = loading;
    this.shown = { symbol, interval };
    this.pending = [];
    this.setHistory([]);
    const history = await fetchCandles(symbol, interval, HISTORY_BARS, loading.signal);
    if (loading.signal.aborted) {
      return;
    }
    const pending = this.pending;
    this.pending = undefined;
    this.setHistory(history);
    pending.forEach((bar) => this.put(bar));
    this.chart.timeScale().scrollToRealTime();
  }

  /** Reloads what is shown, e.g. after a gap in the stream. */
  reload(): Promise<void> {
    return this.shown ? this.show(this.shown.symbol, this.shown.interval) : Promise.resolve();
  }

  /** Whether the symbol shown trades: the newest bar is live only while it does. */
  setState(state: TradingState): void {
    this.state = state;
    this.showLegend();
  }

  /** A bar from the stream; only those of the symbol and interval shown are charted. */
  bar(bar: BarData): void {
    if (bar.symbol !== this.shown?.symbol || bar.interval !== this.shown.interval) {
      return;
    }
    if (this.pending) {
      this.pending.push(bar);
    } else {
      this.put(bar);
    }
  }

  private setHistory(history: Candle[]): void {
    this.bars = new Map(history.map((bar) => [bar.time, bar]));
    this.last = history.at(-1);
    this.hovered = undefined;
    this.candles.setData(history.map(toCandlestick));
    this.volume.setData(history.map((bar) => this.toVolume(bar)));
    this.showLegend();
  }

  private put(bar: Candle): void {
    const kept = this.bars.get(bar.time);
    // A bar only grows as trades come in: one with less volume is older than the one charted
    // (the history may have been read after the stream sent it).
    if (kept && kept.volume > bar.volume) {
      return;
    }
    const isLast = this.last === undefined || bar.time >= this.last.time;
    // A late trade corrects a closed bar; one older than what the chart holds is off screen.
    if (!isLast && !kept) {
      return;
    }
    this.candles.update(toCandlestick(bar), !isLast);
    this.volume.update(this.toVolume(bar), !isLast);
    this.bars.set(bar.time, bar);
    this.updates++;
    if (isLast) {
      this.last = bar;
    }
    if (this.hovered?.time === bar.time) {
      this.hovered = bar;
    }
    this.showLegend();
  }

  private hover({ time }: MouseEventParams): void {
    this.hovered = typeof time === 'number' ? this.bars.get(time) : undefined;
    this.showLegend();
  }

  private showLegend(): void {
    const bar = this.hovered ?? this.last;
    const newest = bar !== undefined && bar.time === this.last?.time;
    this.legend.show(bar, newest, this.state, this.barTime);
  }

  private toVolume({ time, open, close, volume }: Candle): HistogramData<Time> {
    const color = close >= open ? this.theme.upVolume : this.theme.downVolume;
    return { time: asTime(time), value: volume, color };
  }

  /** The x of `time`'s bar in the page, or undefined when it is out of view. */
  xOf(time: number): number | undefined {
    const x = this.chart.timeScale().timeToCoordinate(asTime(time));
    return x === null ? undefined : this.chart.chartElement().getBoundingClientRect().left + x;
  }

  /** What the chart holds, read back from the chart itself. */
  inspect(): {
    symbol?: string;
    interval?: CandleInterval;
    updates: number;
    scrollPosition: number;
    bars: Candle[];
  } {
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
    const scrollPosition = this.chart.timeScale().scrollPosition();
    return { ...this.shown, updates: this.updates, scrollPosition, bars };
  }
}
