import type { Page } from 'playwright-core';
import type { Subscription } from 'rxjs';
import { compareEventIds, isEventId, type Candle } from '@tickstream/client/contract';
import { DEFAULT_PARAMS } from '../client/page-params.js';
import type { LoggedTick } from '../client/page-probe.js';
import { openPage } from './support/browser.js';
import { pageTests, SCREENSHOTS } from './support/page-tests.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

/** What the browser itself logs when a test cuts the page's connection or stops the server. */
const DROPPED_CONNECTION =
  /^Failed to load resource: net::ERR_(INCOMPLETE_CHUNKED_ENCODING|CONNECTION_REFUSED)$/;

const rowSymbols = (page: Page) =>
  page.$$eval('#tickers tbody tr', (rows) => rows.map((row) => row.getAttribute('data-symbol')));
const lastPrices = (page: Page) =>
  page.$$eval('#tickers tbody tr .last', (cells) => cells.map((cell) => cell.textContent));
const receivedTicks = (page: Page): Promise<LoggedTick[]> =>
  page.evaluate(() => window.tickstream.ticks);
const chartState = (page: Page) => page.evaluate(() => window.tickstream.chartState());
const badge = (page: Page, state: string) =>
  page.waitForSelector(`#badge[data-state="${state}"]`, { timeout: 15_000 });

/** Every tick the server publishes for `symbols`, from now on. */
function recordServerTicks(
  server: TestServer,
  symbols: string[],
): { ids: string[] } & Subscription {
  const ids: string[] = [];
  const subscription = server.ticks.subscribe(({ id, quote }) => {
    if (symbols.includes(quote.symbol)) {
      ids.push(id);
    }
  });
  return Object.assign(subscription, { ids });
}

describe('the ticker page', () => {
  const current = pageTests();

  async function open(
    query: string,
    viewport?: { width: number; height: number },
    cookies?: Record<string, string>,
  ) {
    if (!current.server) {
      throw new Error('start the server first');
    }
    current.opened = await openPage(
      current.browser,
      `${current.server.url}/${query}`,
      viewport,
      cookies,
    );
    return current.opened.page;
  }

  it('streams from a server that requires a token, with the token in an HttpOnly cookie', async () => {
    current.server = await startServer({ ...JWT_SERVER, TICKS_PER_SECOND: '200' });
    const cookie = { tickstream_token: await token({ symbols: ['AAPL', 'MSFT'] }) };
    const page = await open('?symbols=AAPL,MSFT&throttle=0', undefined, cookie);

    await badge(page, 'live');
    expect(await rowSymbols(page)).toEqual(['AAPL', 'MSFT']);
    await page.waitForFunction(() => window.tickstream.ticks.length >= 5);
    expect(current.opened?.errors).toEqual([]);
  });

  it('shows one updating row per subscribed symbol, over one stream', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const page = await open('?symbols=AAPL,MSFT&throttle=0');

    await badge(page, 'live');
    expect(await rowSymbols(page)).toEqual(['AAPL', 'MSFT']);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#tickers tbody .last')).every((cell) =>
        /^\d[\d,]*\.\d\d$/.test(cell.textContent),
      ),
    );
    const before = await lastPrices(page);
    await page.waitForFunction(
      (previous) =>
        Array.from(document.querySelectorAll('#tickers tbody .last')).every(
          (cell, index) => cell.textContent !== previous[index],
        ),
      before,
    );
    expect(new Set((await receivedTicks(page)).map((tick) => tick.symbol))).toEqual(
      new Set(['AAPL', 'MSFT']),
    );
    // One stream with two symbols is two per-symbol subscriptions on the server.
    expect(current.server.bus.subscriberCount).toBe(2);
    expect(await page.textContent('.foot')).toContain('TradingView');
    expect(current.opened?.errors).toEqual([]);
  });

  it('leaves unknown symbols out of a link and out of the picker, and says so', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const page = await open('?symbols=AAPL,NOPE&throttle=0');
    await badge(page, 'live');
    expect(await rowSymbols(page)).toEqual(['AAPL']);
    expect(page.url()).toMatch(/\?symbols=AAPL&throttle=0&interval=1m$/);
    expect(await page.textContent('#notice')).toBe('Unknown symbols left out: NOPE');

    const input = page.locator('#picker input[name=symbol]');
    await input.fill('zzz');
    await input.press('Enter');
    expect(await input.evaluate((field: HTMLInputElement) => field.validationMessage)).toBe(
      'Unknown: ZZZ',
    );
    expect(page.url()).toMatch(/\?symbols=AAPL&throttle=0&interval=1m$/);
    expect(current.opened?.errors).toEqual([]);
  });

  it('is usable at phone width', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const page = await open('?symbols=AAPL,MSFT,NVDA,TSLA&throttle=250', {
      width: 390,
      height: 844,
    });
    await badge(page, 'live');
    await page.waitForFunction(() => window.tickstream.chartState().bars.length > 0);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    // The phone keeps today's columns; the day's figures and bid and ask need the width.
    const shown = await page.$$eval('#tickers thead th', (cells) =>
      cells.filter((cell) => cell.getClientRects().length > 0).map((cell) => cell.textContent),
    );
    expect(shown).toEqual(['Symbol', 'Last', 'Chg', 'Chg %', 'Trend']);
    await page.screenshot({ path: `${SCREENSHOTS}/page-phone.png`, fullPage: true });
    expect(current.opened?.errors).toEqual([]);
  });

  it("shows a default set and charts the selected symbol: the server's bars, then live bars", async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const page = await open('?throttle=0');
    await badge(page, 'live');
    expect(await rowSymbols(page)).toEqual(DEFAULT_PARAMS.symbols);
    expect(page.url()).toMatch(
      /\?symbols=AAPL,MSFT,NVDA,TSLA,AMZN,GOOGL,META,AMD&throttle=0&interval=1m$/,
    );
    await page.click('#intervals button[data-interval="1s"]');
    await page.waitForFunction(() => {
      const chart = window.tickstream.chartState();
      return chart.interval === '1s' && chart.bars.length > 0;
    });
    const loaded = await chartState(page);
    expect(loaded.symbol).toBe('AAPL');
    const firstLive = (loaded.bars.at(-1)?.time ?? 0) + 2;
    // Bar firstLive + 1 exists, so bar firstLive is closed and was built only from live ticks.
    await page.waitForFunction(
      (time) => (window.tickstream.chartState().bars.at(-1)?.time ?? 0) > time,
      firstLive,
    );
    const live = await chartState(page);
    expect(live.updates).toBeGreaterThan(loaded.updates);
    const response = await fetch(
      `${current.server.url}/api/symbols/AAPL/candles?interval=1s&limit=20`,
    );
    const serverBars = (await response.json()) as Candle[];
    const charted = live.bars.find((bar) => bar.time === firstLive);
    expect(charted).toBeDefined();
    expect(charted).toEqual(serverBars.find((bar) => bar.time === firstLive));

    await page.click('#tickers tr[data-symbol="MSFT"]');
    await page.waitForFunction(() => window.tickstream.chartState().symbol === 'MSFT');
    expect(await page.textContent('#chart-symbol')).toBe('MSFT');
    await page.click('#intervals button[data-interval="1m"]');
    await page.waitForFunction(() => {
      const chart = window.tickstream.chartState();
      return chart.interval === '1m' && chart.bars.length > 0;
    });
    expect((await chartState(page)).bars.every((bar) => bar.time % 60 === 0)).toBe(true);
    // A button for every interval; each charts its bars.
    expect(
      await page.$$eval('#intervals button', (buttons) => buttons.map((b) => b.textContent)),
    ).toEqual(['1s', '1m', '5m', '15m', '1h', '1d']);
    for (const [interval, seconds] of [
      ['5m', 300],
      ['1h', 3_600],
      ['1d', 86_400],
    ] as const) {
      await page.click(`#intervals button[data-interval="${interval}"]`);
      await page.waitForFunction((wanted) => {
        const chart = window.tickstream.chartState();
        return chart.interval === wanted && chart.bars.length > 0;
      }, interval);
      expect((await chartState(page)).bars.every((bar) => bar.time % seconds === 0)).toBe(true);
      expect(page.url()).toMatch(new RegExp(`&interval=${interval}$`));
    }
    expect(current.opened?.errors).toEqual([]);
  });

  it('adds and removes symbols and changes the throttle through the URL and the stream', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const page = await open('?symbols=AAPL,MSFT&throttle=0');
    await badge(page, 'live');

    await page.fill('#picker input[name=symbol]', 'nvda');
    await page.press('#picker input[name=symbol]', 'Enter');
    await page.waitForURL(/\?symbols=AAPL,MSFT,NVDA&throttle=0&interval=1m$/);
    expect(await rowSymbols(page)).toEqual(['AAPL', 'MSFT', 'NVDA']);
    await eventually(
      () => current.server?.bus.subscriberCount === 3,
      5_000,
      'the new subscription',
    );
    await page.waitForFunction(() => window.tickstream.ticks.some((t) => t.symbol === 'NVDA'));

    await page.click('#picker button[data-remove="MSFT"]');
    await page.waitForURL(/\?symbols=AAPL,NVDA&throttle=0&interval=1m$/);
    expect(await rowSymbols(page)).toEqual(['AAPL', 'NVDA']);
    await eventually(
      () => current.server?.bus.subscriberCount === 2,
      5_000,
      'the old stream to close',
    );
    const logged = (await receivedTicks(page)).length;
    await page.waitForFunction(
      (from) => window.tickstream.ticks.slice(from).filter((t) => t.symbol === 'AAPL').length > 10,
      logged,
    );
    const sinceRemoval = (await receivedTicks(page)).slice(logged);
    expect(sinceRemoval.some((tick) => tick.symbol === 'MSFT')).toBe(false);

    const changedAt = Date.now();
    await page.selectOption('#picker select[name=throttle]', '1000');
    // The URL changes in the same task that aborts the old stream: later ticks are throttled.
    await page.waitForURL(/\?symbols=AAPL,NVDA&throttle=1000&interval=1m$/);
    const throttledFrom = (await receivedTicks(page)).length;
    await page.waitForFunction(
      (from) => window.tickstream.ticks.slice(from).filter((t) => t.symbol === 'AAPL').length >= 2,
      throttledFrom,
    );
    const throttled = (await receivedTicks(page)).slice(throttledFrom);
    // The feed trades AAPL dozens of times a second; throttled, one goes out at once, then at
    // most one per second.
    const windows = Math.ceil((Date.now() - changedAt) / 1000);
    expect(throttled.filter((tick) => tick.symbol === 'AAPL').length).toBeLessThanOrEqual(
      windows + 1,
    );

    // Back and forward resubscribe to what the URL says.
    await page.goBack();
    await page.waitForURL(/\?symbols=AAPL,NVDA&throttle=0&interval=1m$/);
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLSelectElement>('#picker select[name=throttle]')?.value === '0',
    );
    await page.goBack();
    await page.waitForURL(/\?symbols=AAPL,MSFT,NVDA&throttle=0&interval=1m$/);
    await eventually(
      () => current.server?.bus.subscriberCount === 3,
      5_000,
      'the restored subscription',
    );
    expect(await rowSymbols(page)).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(current.opened?.errors).toEqual([]);
  });

  it('adds a symbol on its one stream, resumed: every other row and the chart stay live, losing and repeating no tick', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200' });
    const server = current.server;
    // Blank first, so that the page's first stream request is seen too.
    current.opened = await openPage(current.browser, 'about:blank');
    const { page } = current.opened;
    const streams: { symbols: string | null; lastEventId: string | undefined }[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/stream') {
        streams.push({
          symbols: url.searchParams.get('symbols'),
          lastEventId: request.headers()['last-event-id'],
        });
      }
    });
    await page.goto(`${server.url}/?symbols=AAPL,MSFT&throttle=0`);
    await badge(page, 'live');
    await page.waitForFunction(() => window.tickstream.chartState().bars.length >= 300);
    const recorded = recordServerTicks(server, ['AAPL', 'MSFT']);
    await page.waitForFunction(() => window.tickstream.ticks.length >= 20);
    // The rows as they are: the same elements must stay, never rebuilt.
    await page.evaluate(() => {
      const kept = Array.from(document.querySelectorAll('#tickers tbody tr'));
      Object.assign(window, { keptRows: kept });
    });
    const chartBefore = await chartState(page);

    await page.fill('#picker input[name=symbol]', 'NVDA');
    await page.press('#picker input[name=symbol]', 'Enter');
    await page.waitForURL(/\?symbols=AAPL,MSFT,NVDA&throttle=0&interval=1m$/);
    await page.waitForFunction(() => window.tickstream.ticks.some((t) => t.symbol === 'NVDA'));
    const logged = (await receivedTicks(page)).length;
    await page.waitForFunction(
      (from) =>
        ['AAPL', 'MSFT'].every((symbol) =>
          window.tickstream.ticks.slice(from).some((t) => t.symbol === symbol),
        ),
      logged,
    );
    await page.waitForFunction(
      (from) => window.tickstream.chartState().updates > from,
      (await chartState(page)).updates,
    );
    recorded.unsubscribe();

    // One stream, resumed from the last event the page had, with the new symbol.
    expect(streams.map(({ symbols }) => symbols)).toEqual(['AAPL,MSFT', 'AAPL,MSFT,NVDA']);
    expect(streams[0].lastEventId).toBeUndefined();
    expect(isEventId(streams[1].lastEventId)).toBe(true);
    // The page's ticks of the symbols it kept, while the server's were being recorded.
    const lastRecorded = recorded.ids.at(-1) ?? '';
    await page.waitForFunction(
      (id) => window.tickstream.ticks.some((tick) => tick.id === id),
      lastRecorded,
    );
    const kept = (await receivedTicks(page))
      .filter((tick) => tick.symbol !== 'NVDA')
      .map((tick) => tick.id)
      .filter((id) => compareEventIds(id, lastRecorded) <= 0);
    const from = kept.findIndex((id) => recorded.ids.includes(id));
    expect(from).toBeGreaterThanOrEqual(0);
    const first = recorded.ids.indexOf(kept[from]);
    expect(kept.slice(from)).toEqual(recorded.ids.slice(first));
    expect(
      await page.evaluate(() => {
        const before = (window as unknown as { keptRows: Element[] }).keptRows;
        const rows = Array.from(document.querySelectorAll('#tickers tbody tr'));
        return before.every((row, index) => row === rows[index]) && rows.length === 3;
      }),
    ).toBe(true);
    const chartAfter = await chartState(page);
    expect(chartAfter.symbol).toBe('AAPL');
    expect(chartAfter.bars.length).toBeGreaterThanOrEqual(chartBefore.bars.length);
    expect(await page.getAttribute('#badge', 'data-state')).not.toBe('connecting');
    expect(await page.textContent('#tickers tr[data-symbol="NVDA"] .last')).toMatch(/^\d/);
    expect(current.opened?.errors).toEqual([]);
  });

  it('changes the interval through the URL, resuming its one stream, losing and repeating no tick', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '400' });
    const history = recordServerTicks(current.server, ['AAPL', 'MSFT']);
    try {
      current.opened = await openPage(current.browser, 'about:blank');
      const { page } = current.opened;
      const streams: { bars: string | null; lastEventId?: string }[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/stream') {
          const lastEventId = request.headers()['last-event-id'];
          streams.push({ bars: url.searchParams.get('bars'), lastEventId });
        }
      });
      await page.goto(`${current.server.url}/?symbols=AAPL,MSFT&throttle=0`);
      await badge(page, 'live');
      await page.waitForFunction(() => window.tickstream.ticks.length >= 30);

      await page.click('#intervals button[data-interval="1s"]');
      await page.waitForURL(/\?symbols=AAPL,MSFT&throttle=0&interval=1s$/);
      await page.waitForFunction(() => {
        const chart = window.tickstream.chartState();
        return chart.interval === '1s' && chart.bars.length >= 300;
      });
      const switched = (await receivedTicks(page)).length;
      await page.waitForFunction((from) => window.tickstream.ticks.length >= from + 30, switched);
      expect(streams).toEqual([
        { bars: '1m', lastEventId: undefined },
        { bars: '1s', lastEventId: expect.stringMatching(/^\d+-\d+$/) as string },
      ]);
      const ids = (await receivedTicks(page)).map((tick) => tick.id);
      const [first, last] = [ids[0], ids[ids.length - 1]];
      expect(ids).toEqual(
        history.ids.filter(
          (id) => compareEventIds(id, first) >= 0 && compareEventIds(id, last) <= 0,
        ),
      );
      expect(await page.getAttribute('#intervals [data-interval="1s"]', 'aria-pressed')).toBe(
        'true',
      );

      await page.goBack();
      await page.waitForURL(/\?symbols=AAPL,MSFT&throttle=0&interval=1m$/);
      await page.waitForFunction(() => window.tickstream.chartState().interval === '1m');
      expect(streams.at(-1)?.bars).toBe('1m');
      expect(current.opened.errors).toEqual([]);
    } finally {
      history.unsubscribe();
    }
  });

  it('loses no tick when its connection drops while history still holds them', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '400', RETRY_MS: '50' });
    const history = recordServerTicks(current.server, ['AAPL', 'MSFT']);
    try {
      const page = await open('?symbols=AAPL,MSFT&throttle=0');
      await page.waitForFunction(() => window.tickstream.ticks.length >= 30);
      current.server.app.getHttpServer().closeAllConnections();
      const cutAfter = history.ids.at(-1) ?? '';
      await badge(page, 'resumed');
      await page.waitForFunction(
        ([ms, seq]) =>
          window.tickstream.ticks.filter((t) => {
            const [tickMs, tickSeq] = t.id.split('-').map(Number);
            return tickMs > ms || (tickMs === ms && tickSeq > seq);
          }).length >= 30,
        cutAfter.split('-').map(Number),
      );
      const ids = (await receivedTicks(page)).map((tick) => tick.id);
      const [first, last] = [ids[0], ids[ids.length - 1]];
      expect(ids.some((id) => compareEventIds(id, cutAfter) > 0)).toBe(true);
      expect(ids).toEqual(
        history.ids.filter(
          (id) => compareEventIds(id, first) >= 0 && compareEventIds(id, last) <= 0,
        ),
      );
      expect(current.opened?.errors.filter((error) => !DROPPED_CONNECTION.test(error))).toEqual([]);
    } finally {
      history.unsubscribe();
    }
  });

  it('survives a server restart without a reload, showing the gap, then live again', async () => {
    current.server = await startServer({ TICKS_PER_SECOND: '200', RETRY_MS: '100' });
    const port = new URL(current.server.url).port;
    const page = await open('?symbols=AAPL,MSFT&throttle=0');
    await badge(page, 'live');
    await page.waitForFunction(() => window.tickstream.ticks.length >= 10);
    await page.evaluate(() => (document.body.dataset.loadedOnce = 'yes'));

    await current.server.close();
    current.server = undefined;
    await badge(page, 'reconnecting');
    const beforeRestart = (await receivedTicks(page)).length;

    current.server = await startServer({ PORT: port, TICKS_PER_SECOND: '200', RETRY_MS: '100' });
    await badge(page, 'gap');
    await badge(page, 'live');
    await page.waitForFunction(
      (from) => window.tickstream.ticks.length >= from + 10,
      beforeRestart,
    );
    expect(await page.getAttribute('body', 'data-loaded-once')).toBe('yes');
    expect(await rowSymbols(page)).toEqual(['AAPL', 'MSFT']);
    expect(current.opened?.errors.filter((error) => !DROPPED_CONNECTION.test(error))).toEqual([]);
  });
});
