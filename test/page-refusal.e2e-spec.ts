import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, type OpenedPage } from './support/browser.js';
import { openRawStream } from './support/raw-stream.js';
import { eventually, sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

/** What Chromium itself logs for every answer of 429; the page logs nothing of its own. */
const REFUSAL_LOGGED = 'Failed to load resource: the server responded with a status of 429';
const LIVE = '#badge[data-state="live"]';

describe('the page, refused with 429', () => {
  let browser: Browser;
  let server: TestServer;
  let opened: OpenedPage | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await opened?.page.close();
    await server.close();
  });

  afterAll(() => browser.close());

  async function open(query: string): Promise<Page> {
    opened = await openPage(browser, `${server.url}/${query}`);
    return opened.page;
  }

  /** The page's own console errors: anything but the browser's line for each 429. */
  const ownErrors = () => (opened?.errors ?? []).filter((error) => !error.includes(REFUSAL_LOGGED));

  it('waits Retry-After and tries its REST requests again, until every row and the chart are filled', async () => {
    server = await startServer({ REST_RATE_LIMIT: '1', REST_RATE_WINDOW_MS: '1500' });
    // Blank first, so that every answer of the page's own load is seen.
    opened = await openPage(browser, 'about:blank');
    const { page } = opened;
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/symbols')) {
        statuses.push(response.status());
      }
    });
    // The symbols, the chart's bars and a trend line per row: six requests, one allowed at once.
    await page.goto(`${server.url}/?symbols=AAPL,MSFT,NVDA,TSLA&throttle=250`);
    await page.waitForSelector(LIVE);
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('#tickers tbody .change')).every((cell) =>
          /\d/.test(cell.textContent),
        ),
      undefined,
      { timeout: 15_000 },
    );
    // The chart's request may be the last of the six to get the one place a window allows, each
    // retried after Retry-After (2 s): about 10 s after the page loads.
    await page.waitForFunction(() => window.tickstream.chartState().bars.length > 0, undefined, {
      timeout: 15_000,
    });
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('#tickers tbody .sparkline polyline')).every(
          (line) => (line.getAttribute('points') ?? '').split(' ').length > 100,
        ),
      undefined,
      { timeout: 15_000 },
    );
    // The browser reports answers a little after the page has used them.
    const answered = (status: number) => statuses.filter((each) => each === status).length;
    await eventually(() => answered(200) === 6, 5_000, 'six answers of 200');
    expect(answered(429)).toBeGreaterThan(0);
    expect(await page.isHidden('#notice')).toBe(true);
    expect(ownErrors()).toEqual([]);
  });

  it("waits the refusal's Retry-After and opens its stream again when it is over the connection limit, then goes live", async () => {
    // Retry-After: 3 (RETRY_MS in whole seconds).
    server = await startServer({
      MAX_CONNECTIONS_PER_CLIENT: '1',
      TICKS_PER_SECOND: '200',
      RETRY_MS: '3000',
    });
    // Another stream from the same address holds the one place.
    const other = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    let page: Page;
    try {
      page = await open('?symbols=AAPL,MSFT&throttle=0');
      await page.waitForSelector('#badge[data-state="reconnecting"]');
      await sleep(1_000);
      expect(await page.getAttribute('#badge', 'data-state')).toBe('reconnecting');
      expect(await page.getAttribute('#badge', 'title')).toMatch(
        /^attempt \d+ in 3\.0s: .*HTTP 429/,
      );
    } finally {
      other.close();
    }
    await page.waitForSelector(LIVE, { timeout: 15_000 });
    await page.waitForFunction(() => window.tickstream.ticks.length >= 5);
    expect(await page.isHidden('#notice')).toBe(true);
    expect(ownErrors()).toEqual([]);
  });
});
