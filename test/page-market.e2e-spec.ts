import type { Page } from 'playwright-core';
import type { Candle, SymbolInfo } from '@tickstream/client/contract';
import { formatChange, formatPercent, signOf } from '../client/format.js';
import { openPage } from './support/browser.js';
import { pageTests, SCREENSHOTS } from './support/page-tests.js';
import { sleep } from './support/sse-client.js';
import { startServer } from './support/test-server.js';
import { setStatus, STATUS_TOKEN } from './support/trading-status.js';

const LIVE = '#badge[data-state="live"]';
const UP = 'rgb(38, 166, 154)';
const DOWN = 'rgb(239, 83, 80)';
const REASON = 'limit up-limit down: -5.3 % in 212 s (band 5 %)';

const chartState = (page: Page) => page.evaluate(() => window.tickstream.chartState());
const chartX = (page: Page, time: number) =>
  page.evaluate((at) => window.tickstream.chartX(at), time);

/** The legend's label and values, as shown. */
const legend = (page: Page) =>
  page.$eval('.chart-legend', (element) => {
    const text = (selector: string) => element.querySelector(selector)?.textContent ?? '';
    return {
      label: text('.legend-label'),
      values: ['open', 'high', 'low', 'close', 'volume'].map((field) =>
        text(`[data-field="${field}"]`),
      ),
    };
  });
/** A bar's OHLCV as the legend writes them. */
const shown = ({ open, high, low, close, volume }: Candle) => [
  ...[open, high, low, close].map((price) => price.toFixed(2)),
  volume.toLocaleString('en-US'),
];

describe('the ticker page: the market', () => {
  const current = pageTests();

  /** The page at `query`, and the paths of the API requests it makes. */
  async function open(query: string): Promise<{ page: Page; requests: URL[] }> {
    if (!current.server) {
      throw new Error('start the server first');
    }
    // Blank first, so that every request of the page's own load is seen.
    current.opened = await openPage(current.browser, 'about:blank');
    const { page } = current.opened;
    const requests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) {
        requests.push(url);
      }
    });
    await page.goto(`${current.server.url}/${query}`);
    return { page, requests };
  }

  it("is full from the server's first second: 300 bars and a trend per row from REST, then the stream's bars", async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const { page, requests } = await open('?symbols=AAPL,MSFT,NVDA,TSLA&throttle=250');
    await page.waitForSelector(LIVE);
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    const loaded = await chartState(page);
    expect(loaded).toMatchObject({ symbol: 'AAPL', interval: '1m' });
    expect(loaded.bars.every((bar) => bar.time % 60 === 0)).toBe(true);
    await page.waitForFunction(
      (from) => window.tickstream.chartState().updates > from,
      loaded.updates,
    );
    // The symbols (names), the chart's history, and one stream for all four symbols' quotes,
    // states and bars at the chart's interval: no request per symbol.
    // The candles endpoint is per symbol: a trend line costs one request per row, once.
    const rest = requests.filter((url) => url.pathname !== '/api/stream');
    const paths = rest.map((url) => `${url.pathname}${url.search}`);
    expect(paths[0]).toBe('/api/symbols');
    expect(paths.slice(1).sort()).toEqual([
      '/api/symbols/AAPL/candles?interval=1m&limit=300',
      ...['AAPL', 'MSFT', 'NVDA', 'TSLA'].map(
        (symbol) => `/api/symbols/${symbol}/candles?interval=1m&limit=390`,
      ),
    ]);
    const streams = requests.filter((url) => url.pathname === '/api/stream');
    expect(streams.map((url) => Object.fromEntries(url.searchParams))).toEqual([
      { symbols: 'AAPL,MSFT,NVDA,TSLA', throttle: '250', bars: '1m' },
    ]);
    expect(current.opened?.errors).toEqual([]);
  });

  it("charts the stream's own bars, which a throttled stream's ticks could not make", async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '400' });
    const traded: number[] = [];
    const recording = current.server.ticks.subscribe(({ quote }) => {
      if (quote.symbol === 'AAPL') {
        traded.push(quote.ts);
      }
    });
    // One tick per second at most reaches the page: bars made of them would lack most trades.
    const { page } = await open('?symbols=AAPL&throttle=1000&interval=1s');
    await page.waitForSelector(LIVE);
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    const loadedLast = (await chartState(page)).bars.at(-1)?.time ?? 0;
    // Bars after the history's last, up to one that has closed for sure.
    await page.waitForFunction(
      (time) => (window.tickstream.chartState().bars.at(-1)?.time ?? 0) >= time + 4,
      loadedLast,
    );
    const charted = (await chartState(page)).bars.filter(
      (bar) => bar.time > loadedLast && bar.time <= loadedLast + 2,
    );
    const response = await fetch(
      `${current.server.url}/api/symbols/AAPL/candles?interval=1s&limit=30`,
    );
    const kept = ((await response.json()) as Candle[]).filter((bar) =>
      charted.some((each) => each.time === bar.time),
    );
    recording.unsubscribe();
    expect(charted.length).toBeGreaterThanOrEqual(1);
    expect(charted).toEqual(kept);
    const received = await page.evaluate(() => window.tickstream.ticks.length);
    const inCharted = traded.filter((ts) =>
      charted.some(({ time }) => ts >= time * 1000 && ts < (time + 1) * 1000),
    );
    expect(received).toBeLessThan(inCharted.length / 2);
    expect(current.opened?.errors).toEqual([]);
  });

  it('says the OHLCV of the bar under the cursor, else of the live bar', async () => {
    current.server = await startServer({ INGEST_TOKEN: STATUS_TOKEN });
    // Halted, AAPL's bars stand still, so that the live one can be read back.
    await setStatus(current.server.url, 'AAPL', 'halted');
    const { page } = await open('?symbols=AAPL&throttle=0');
    await page.waitForSelector(LIVE);
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    const { bars } = await chartState(page);
    const live = bars.at(-1);
    expect(live).toBeDefined();
    // The newest bar of a halted symbol is not live.
    expect(await legend(page)).toEqual({ label: 'Halted', values: shown(live ?? bars[0]) });

    const area = await page.locator('#chart-area').boundingBox();
    for (const back of [5, 17, 40]) {
      const bar = bars[bars.length - 1 - back];
      const x = await chartX(page, bar.time);
      expect(x).toBeDefined();
      await page.mouse.move(x ?? 0, (area?.y ?? 0) + (area?.height ?? 0) * 0.4);
      await page.waitForFunction(
        (values) =>
          document.querySelector('.chart-legend [data-field="volume"]')?.textContent === values,
        shown(bar)[4],
      );
      expect(await legend(page)).toEqual({ label: 'Bar', values: shown(bar) });
    }
    await page.mouse.move(1, 1);
    await page.waitForFunction(
      () => document.querySelector('.chart-legend .legend-label')?.textContent === 'Halted',
    );
    expect(await legend(page)).toEqual({ label: 'Halted', values: shown(live ?? bars[0]) });

    const label = (text: string) =>
      page.waitForFunction(
        (expected) =>
          document.querySelector('.chart-legend .legend-label')?.textContent === expected,
        text,
      );
    await setStatus(current.server.url, 'AAPL', 'closed', 'the session is over');
    await label('Closed');
    await setStatus(current.server.url, 'AAPL', 'open');
    await label('Live');
    expect(current.opened?.errors).toEqual([]);
  });

  it("draws every trend line from the day's 1m bars at once, for a symbol added later too", async () => {
    current.server = await startServer({ FEED: 'none' });
    const { url } = current.server;
    // A day that rose: the line must rise from its first point to its last, whatever the ticks.
    const closes = [100, 101, 103, 102, 106, 109];
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    for (const [index, price] of closes.entries()) {
      await current.server.bus.publish({
        symbol: 'MSFT',
        kind: 'trade',
        price,
        bid: price,
        ask: price + 0.01,
        size: 1,
        bidSize: 100,
        askSize: 100,
        ts: minute - (closes.length - index) * 60_000,
      });
    }
    const day = (await (
      await fetch(`${url}/api/symbols/MSFT/candles?interval=1m&limit=390`)
    ).json()) as Candle[];
    expect(day.map((bar) => bar.close)).toEqual(closes);

    /** The points of a row's trend line, once it has `count`. */
    const trend = async (symbol: string, count: number) => {
      const selector = `#tickers tr[data-symbol="${symbol}"] .sparkline polyline`;
      await page.waitForFunction(
        ({ at, n }) =>
          (document.querySelector(at)?.getAttribute('points') ?? '').split(' ').filter(Boolean)
            .length === n,
        { at: selector, n: count },
      );
      const points = (await page.getAttribute(selector, 'points')) ?? '';
      return points.split(' ').map((point) => point.split(',').map(Number));
    };
    const { page } = await open('?symbols=AAPL&throttle=0');
    await page.waitForSelector(LIVE);
    await page.fill('#picker input[name=symbol]', 'MSFT');
    await page.press('#picker input[name=symbol]', 'Enter');
    // Drawn from the bars before any tick of the symbol reached the page.
    const points = await trend('MSFT', closes.length);
    expect(await page.evaluate(() => window.tickstream.ticks.length)).toBe(0);
    const ys = points.map(([, y]) => y);
    // Lower on screen is a lower price: the day's low and high, first and last.
    expect(ys[0]).toBe(Math.max(...ys));
    expect(ys.at(-1)).toBe(Math.min(...ys));
    expect(points[0][0]).toBe(0);

    // A live price moves the point of its minute, or starts the next one.
    await current.server.publish('MSFT', 108);
    const moved = (await trend('MSFT', closes.length + 1)).map(([, y]) => y);
    expect(moved.at(-1)).toBeGreaterThan(Math.min(...moved));
    expect(moved.at(-1)).toBeLessThan(Math.max(...moved));
    expect(current.opened?.errors).toEqual([]);
  });

  it("shows the chart's attribution in the footer, not over the bars, and the legend above the chart", async () => {
    current.server = await startServer();
    const { page } = await open('?symbols=AAPL&throttle=250');
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    expect(await page.locator('#chart-area a').count()).toBe(0);
    const credit = page.locator('.foot a[href="https://www.tradingview.com/"]');
    expect(await credit.isVisible()).toBe(true);
    const legendBox = await page.locator('.chart-legend').boundingBox();
    const chartBox = await page.locator('#chart-area .chart').boundingBox();
    expect((legendBox?.y ?? 0) + (legendBox?.height ?? 0)).toBeLessThanOrEqual(chartBox?.y ?? 0);
    expect(current.opened?.errors).toEqual([]);
  });

  it('offers "Go to live" once scrolled back, and goes back to the live bar', async () => {
    current.server = await startServer();
    const { page } = await open('?symbols=AAPL&throttle=250');
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    expect(await page.isHidden('.go-live')).toBe(true);

    const area = await page.locator('#chart-area').boundingBox();
    const y = (area?.y ?? 0) + (area?.height ?? 0) * 0.4;
    await page.mouse.move((area?.x ?? 0) + 100, y);
    await page.mouse.down();
    await page.mouse.move((area?.x ?? 0) + 500, y, { steps: 10 });
    await page.mouse.up();
    await page.waitForSelector('.go-live', { state: 'visible' });
    expect((await chartState(page)).scrollPosition).toBeLessThan(0);

    await page.click('.go-live');
    await page.waitForSelector('.go-live', { state: 'hidden' });
    expect((await chartState(page)).scrollPosition).toBeGreaterThanOrEqual(0);
    const x = await chartX(page, (await chartState(page)).bars.at(-1)?.time ?? 0);
    expect(x).toBeGreaterThan(area?.x ?? 0);
    expect(x).toBeLessThan((area?.x ?? 0) + (area?.width ?? 0));
    expect(current.opened?.errors).toEqual([]);
  });

  it('charts the past bars a feed posted, on a server without a feed of its own', async () => {
    current.server = await startServer({ FEED: 'none', INGEST_TOKEN: STATUS_TOKEN });
    const minute = Math.floor(Date.now() / 60_000) * 60;
    const posted = Array.from({ length: 120 }, (_, i) => ({
      time: minute - (120 - i) * 60,
      open: 100 + i / 10,
      high: 101 + i / 10,
      low: 99 + i / 10,
      close: 100.5 + i / 10,
      volume: 1_000 + i,
    }));
    const response = await fetch(`${current.server.url}/api/symbols/AAPL/candles?interval=1m`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${STATUS_TOKEN}` },
      body: JSON.stringify(posted),
    });
    expect(response.status).toBe(202);
    const { page } = await open('?symbols=AAPL&throttle=0&interval=1m');
    await page.waitForSelector(LIVE);
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 120);
    expect((await chartState(page)).bars).toEqual(posted);
    expect(current.opened?.errors).toEqual([]);
  });

  it('shows a page that opened after a halt why the symbol halted, and since when', async () => {
    current.server = await startServer({ INGEST_TOKEN: STATUS_TOKEN, TICKS_PER_SECOND: '200' });
    await setStatus(current.server.url, 'AAPL', 'halted', REASON);
    const { page } = await open('?symbols=AAPL,MSFT&throttle=0');
    await page.waitForSelector(LIVE);
    const tag = '#tickers tr[data-symbol="AAPL"] .ticker-state';
    await page.waitForSelector(`${tag}:not([hidden])`);
    // The snapshot carries the reason: the page that never saw the status event shows it.
    expect(await page.getAttribute(tag, 'title')).toBe(REASON);
    expect(await page.textContent('#chart-state')).toBe(`Trading halted: ${REASON}`);
    expect(current.opened?.errors).toEqual([]);
  });

  it('shows a halted or closed symbol as such, in words, and trading again once it opens', async () => {
    current.server = await startServer({ INGEST_TOKEN: STATUS_TOKEN, TICKS_PER_SECOND: '200' });
    await setStatus(current.server.url, 'MSFT', 'closed');
    const { page } = await open('?symbols=AAPL,MSFT,NVDA&throttle=0');
    await page.waitForSelector(LIVE);
    const row = (symbol: string) => `#tickers tr[data-symbol="${symbol}"]`;
    // Closed before the page opened: its snapshot says so.
    expect(await page.getAttribute(row('MSFT'), 'data-state')).toBe('closed');
    const named = (name: RegExp) => page.getByRole('rowheader', { name }).count();
    expect(await named(/^MSFT Closed Microsoft Corp\.$/)).toBe(1);
    expect(await page.isHidden(`${row('AAPL')} .ticker-state`)).toBe(true);

    await setStatus(current.server.url, 'AAPL', 'halted', REASON);
    await page.waitForSelector(`${row('AAPL')}[data-state="halted"]`);
    expect(await named(/^AAPL Halted Apple Inc\.$/)).toBe(1);
    expect(await page.getAttribute(`${row('AAPL')} .ticker-state`, 'title')).toBe(REASON);
    // AAPL is charted: the chart says it too, with the reason.
    expect(await page.textContent('#chart-state')).toBe(`Trading halted: ${REASON}`);
    const from = await page.evaluate(() => window.tickstream.ticks.length);
    await sleep(1_000);
    const during = await page.evaluate((start) => window.tickstream.ticks.slice(start), from);
    expect(new Set(during.map((tick) => tick.symbol))).toEqual(new Set(['NVDA']));

    await setStatus(current.server.url, 'AAPL', 'open');
    await page.waitForSelector(`${row('AAPL')}[data-state="open"]`);
    expect(await page.isHidden(`${row('AAPL')} .ticker-state`)).toBe(true);
    expect(await page.isHidden('#chart-state')).toBe(true);
    await page.waitForFunction(
      (start) => window.tickstream.ticks.slice(start).some((tick) => tick.symbol === 'AAPL'),
      from + during.length,
    );
    expect(current.opened?.errors).toEqual([]);
  });

  it('gives each row the change from the previous close, its arrow and colours agreeing with it, and the day’s figures', async () => {
    current.server = await startServer({ FEED: 'none', INGEST_TOKEN: STATUS_TOKEN });
    const publish = async (prices: Record<string, number>) => {
      for (const [symbol, price] of Object.entries(prices)) {
        await current.server?.publish(symbol, price);
      }
    };
    // A feed gives each symbol's previous close; the first trades, elsewhere, open the session.
    for (const [symbol, previousClose] of Object.entries({ AAPL: 99, MSFT: 201, NVDA: 50 })) {
      const begun = await fetch(`${current.server.url}/api/symbols/${symbol}/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${STATUS_TOKEN}` },
        body: JSON.stringify({ previousClose }),
      });
      expect(begun.status).toBe(202);
    }
    await publish({ AAPL: 100, MSFT: 200, NVDA: 50 });
    const { page } = await open('?symbols=AAPL,MSFT,NVDA&throttle=0');
    await page.waitForSelector(LIVE);

    /** What each row shows, once the page has drawn `last` for each symbol. */
    const rows = async (last: Record<string, string>) => {
      await page.waitForFunction(
        (expected) =>
          Object.entries(expected).every(
            ([symbol, price]) =>
              document.querySelector(`#tickers tr[data-symbol="${symbol}"] .last`)?.textContent ===
              price,
          ),
        last,
      );
      return page.$$eval('#tickers tbody tr', (elements) =>
        elements.map((row) => {
          const cell = (selector: string) => row.querySelector(selector) ?? row;
          const arrow = getComputedStyle(cell('.last'), '::after');
          return {
            symbol: row.getAttribute('data-symbol') ?? '',
            sign: row.getAttribute('data-sign'),
            last: cell('.last').textContent,
            change: cell('.change').textContent,
            percent: cell('.percent').textContent,
            arrow: arrow.content,
            colors: [
              arrow.color,
              getComputedStyle(cell('.change')).color,
              getComputedStyle(cell('.percent')).color,
              getComputedStyle(cell('.sparkline')).stroke,
            ],
          };
        }),
      );
    };
    const symbols = (await (
      await fetch(`${current.server.url}/api/symbols`)
    ).json()) as SymbolInfo[];
    const closes = new Map(symbols.map(({ symbol, day }) => [symbol, day.previousClose]));
    expect([closes.get('AAPL'), closes.get('MSFT'), closes.get('NVDA')]).toEqual([99, 201, 50]);
    expect(symbols.slice(0, 3).map(({ day }) => day.open)).toEqual([100, 200, 50]);
    const SHOWN = {
      up: { arrow: '"▲"', colors: [UP, UP, UP, UP] },
      down: { arrow: '"▼"', colors: [DOWN, DOWN, DOWN, DOWN] },
    };

    // The last trade's direction is the other way from the change for AAPL and MSFT: the change
    // decides. NVDA is back at its previous close: no direction.
    await publish({ AAPL: 106, MSFT: 190, NVDA: 51 });
    await publish({ AAPL: 103, MSFT: 195, NVDA: 50 });
    const first = await rows({ AAPL: '103.00', MSFT: '195.00', NVDA: '50.00' });
    // Then each crosses its previous close.
    await publish({ AAPL: 97.5, MSFT: 201.25, NVDA: 49.99 });
    const second = await rows({ AAPL: '97.50', MSFT: '201.25', NVDA: '49.99' });

    const expected = [
      ['+4.00', '+4.04%', 'up'],
      ['-6.00', '-2.99%', 'down'],
      ['0.00', '0.00%', 'flat'],
      ['-1.50', '-1.52%', 'down'],
      ['+0.25', '+0.12%', 'up'],
      ['-0.01', '-0.02%', 'down'],
    ];
    for (const [index, row] of [...first, ...second].entries()) {
      const [change, percent, sign] = expected[index];
      expect({
        symbol: row.symbol,
        change: row.change,
        percent: row.percent,
        sign: row.sign,
      }).toEqual({
        symbol: ['AAPL', 'MSFT', 'NVDA'][index % 3],
        change,
        percent,
        sign,
      });
      expect(signOf(row.change)).toBe(sign);
      const close = closes.get(row.symbol) ?? Number.NaN;
      expect(row.change).toBe(formatChange(Number(row.last) - close));
      expect(row.percent).toBe(formatPercent((Number(row.last) - close) / close));
      if (sign === 'up' || sign === 'down') {
        expect({ arrow: row.arrow, colors: row.colors }).toEqual(SHOWN[sign]);
      } else {
        expect(row.arrow).toBe('""');
        expect(row.colors.some((color) => color === UP || color === DOWN)).toBe(false);
      }
    }
    // The session's volume, high and low, and the last trade's time, folded from the ticks
    // (each of one share) after the snapshot, as the server folds them.
    const day = await page.$$eval('#tickers tbody tr', (elements) =>
      elements.map((row) =>
        ['.volume', '.high', '.low', '.last-trade'].map(
          (selector) => row.querySelector(selector)?.textContent,
        ),
      ),
    );
    expect(day.map((cells) => cells.slice(0, 3))).toEqual([
      ['4', '106.00', '97.50'],
      ['4', '201.25', '190.00'],
      ['4', '51.00', '49.99'],
    ]);
    expect(day.every(([, , , time]) => /^\d\d:\d\d:\d\d$/.test(time ?? ''))).toBe(true);
    // At 1280x800 every column is shown, and the table fits its panel.
    const shown = await page.$$eval('#tickers thead th', (cells) =>
      cells.filter((cell) => cell.getClientRects().length > 0).map((cell) => cell.textContent),
    );
    expect(shown).toEqual([
      'Symbol',
      'Last',
      'Chg',
      'Chg %',
      'Bid',
      'Ask',
      'Vol',
      'High',
      'Low',
      'Time',
      'Trend',
    ]);
    const quotes = await page.$eval('.quotes', (panel) => panel.scrollWidth - panel.clientWidth);
    expect(quotes).toBe(0);
    // The server's figures are the same.
    const aapl = (await (
      await fetch(`${current.server.url}/api/symbols/AAPL`)
    ).json()) as SymbolInfo;
    expect(aapl.day).toMatchObject({ volume: 4, high: 106, low: 97.5, previousClose: 99 });
    expect(current.opened?.errors).toEqual([]);
  });

  it(`looks right: a screenshot for people, ${SCREENSHOTS}/page.png`, async () => {
    current.server = await startServer({ INGEST_TOKEN: STATUS_TOKEN, TICKS_PER_SECOND: '200' });
    await setStatus(current.server.url, 'TSLA', 'halted', REASON);
    const { page } = await open('?throttle=250');
    await page.waitForSelector(LIVE);
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#tickers tbody .change')).every((cell) =>
        /\d/.test(cell.textContent),
      ),
    );
    const area = await page.locator('#chart-area').boundingBox();
    await page.mouse.move(
      (area?.x ?? 0) + (area?.width ?? 0) * 0.55,
      (area?.y ?? 0) + (area?.height ?? 0) * 0.35,
    );
    await page.waitForFunction(
      () => document.querySelector('.chart-legend .legend-label')?.textContent === 'Bar',
    );
    expect(await page.textContent('.foot')).toContain('TradingView');
    await page.screenshot({ path: `${SCREENSHOTS}/page.png` });
    expect(current.opened?.errors).toEqual([]);
  });
});
