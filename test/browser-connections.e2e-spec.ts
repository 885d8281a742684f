import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, type OpenedPage } from './support/browser.js';
import { startNginx, type LocalNginx } from './support/nginx.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

const SOURCES = 10;
/** Long enough for every EventSource that has a connection to get its snapshot many times over. */
const SETTLE_MS = 3_000;
const TABS = 7;
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AMD', 'NFLX', 'INTC'];

/** What each of the page's EventSources has received so far. */
interface SourceState {
  events: number;
  readyState: number;
  firstEventMs: number | undefined;
}

/** Opens SOURCES EventSources from `page` to its own origin, one symbol each. */
async function openSources(page: Page): Promise<void> {
  await page.evaluate(
    (symbols) => {
      const started = performance.now();
      const states = symbols.map((symbol) => {
        const state = { events: 0, readyState: 0, firstEventMs: undefined as number | undefined };
        const source = new EventSource(`/api/stream?symbols=${symbol}`);
        const count = () => {
          state.events++;
          state.firstEventMs ??= Math.round(performance.now() - started);
        };
        source.addEventListener('snapshot', count);
        source.addEventListener('tick', count);
        return { source, state };
      });
      Object.assign(window, { sources: states });
    },
    SYMBOLS.slice(0, SOURCES),
  );
}

/** What openSources leaves on the page's window. */
interface Sources {
  sources: { source: EventSource; state: SourceState }[];
}

function sourceStates(page: Page): Promise<SourceState[]> {
  return page.evaluate(() =>
    (window as unknown as Sources).sources.map(({ source, state }) => ({
      ...state,
      readyState: source.readyState,
    })),
  );
}

const LIVE = '#badge[data-state="live"]';
const badgeState = (page: Page) =>
  page.evaluate(() => document.querySelector('#badge')?.getAttribute('data-state'));
const lastPrices = (page: Page) =>
  page.$$eval('#tickers tbody tr .last', (cells) => cells.map((cell) => cell.textContent));

const protocolOf = (page: Page) =>
  page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
        .nextHopProtocol,
  );

describe('EventSources in one browser', () => {
  let server: TestServer;
  let nginx: LocalNginx;
  let browser: Browser;
  const pages: OpenedPage[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '127.0.0.1', TICKS_PER_SECOND: '200' });
    nginx = await startNginx([server.url]);
    browser = await launchBrowser(nginx.ca);
  });

  afterEach(async () => {
    await Promise.all(pages.splice(0).map(({ page }) => page.close()));
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await nginx?.close();
    await server?.close();
  });

  const open = async (url: string) => {
    const opened = await openPage(browser, url);
    pages.push(opened);
    return opened.page;
  };

  /** A page of `origin` over `protocol` that opens SOURCES EventSources, and their states later. */
  const settledSources = async (origin: string, protocol: string) => {
    const page = await open(`${origin}/health/live`);
    expect(await protocolOf(page)).toBe(protocol);
    await openSources(page);
    await sleep(SETTLE_MS);
    return { page, states: await sourceStates(page) };
  };

  it('all ten receive events through nginx over HTTP/2', async () => {
    const { states } = await settledSources(nginx.url, 'h2');
    expect(states.filter((state) => state.events > 0)).toHaveLength(SOURCES);
  });

  it('over plain HTTP/1.1, directly: six receive events, the rest wait until one closes', async () => {
    const { page, states } = await settledSources(server.url, 'http/1.1');
    expect(states.filter((state) => state.events > 0)).toHaveLength(6);
    // Not refused: still connecting, queued for one of the browser's six connections.
    const waiting = states.filter((state) => state.events === 0);
    expect(waiting.map((state) => state.readyState)).toEqual([0, 0, 0, 0]);

    await page.evaluate(() => (window as unknown as Sources).sources[0].source.close());
    await sleep(SETTLE_MS);
    const after = await sourceStates(page);
    expect(after.slice(1).filter((state) => state.events > 0)).toHaveLength(6);
  });

  it('the page works through nginx: live, rows updating, no console error', async () => {
    const page = await open(`${nginx.url}/?symbols=AAPL,MSFT&throttle=0`);
    expect(await protocolOf(page)).toBe('h2');
    await page.waitForSelector(LIVE);
    const before = await lastPrices(page);
    await page.waitForFunction(
      (previous) =>
        Array.from(document.querySelectorAll('#tickers tbody .last')).every(
          (cell, index) => /\d/.test(cell.textContent) && cell.textContent !== previous[index],
        ),
      before,
    );
    await page.waitForFunction(() => window.tickstream.chartState().bars.length > 0);
    expect(pages.at(-1)?.errors).toEqual([]);
  });

  it('share six connections among the tabs of the page over HTTP/1.1; over HTTP/2 they do not', async () => {
    // One browser context: the tabs of one browser profile, which share its connections.
    const tabsOf = async (origin: string): Promise<Page[]> => {
      const context = await browser.newContext();
      contexts.push(context);
      return Promise.all(
        Array.from({ length: TABS }, async () => {
          const tab = await context.newPage();
          await tab.goto(`${origin}/?symbols=AAPL&throttle=1000`, { waitUntil: 'commit' });
          return tab;
        }),
      );
    };
    const live = (tabs: Page[]) =>
      Promise.all(tabs.map(badgeState)).then((states) => states.filter((s) => s === 'live'));

    const proxied = await tabsOf(nginx.url);
    await Promise.all(proxied.map((tab) => tab.waitForSelector(LIVE, { timeout: 20_000 })));

    const direct = await tabsOf(server.url);
    const deadline = Date.now() + 20_000;
    while ((await live(direct)).length < 6 && Date.now() < deadline) {
      await sleep(100);
    }
    await sleep(SETTLE_MS);
    const states = await Promise.all(direct.map(badgeState));
    expect(states.filter((state) => state === 'live')).toHaveLength(6);
    const waiting = states.findIndex((state) => state !== 'live');
    expect(states[waiting]).toBe('connecting');
    // Another tab closes, and the one that waited gets its connection.
    await direct[waiting === 0 ? 1 : 0].close();
    await direct[waiting].waitForSelector(LIVE, { timeout: 10_000 });
  }, 60_000);
});
