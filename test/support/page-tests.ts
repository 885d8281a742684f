import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, type OpenedPage } from './browser.js';
import type { TestServer } from './test-server.js';

/** Where the page's tests leave screenshots for people to look at: outside the repository. */
export const SCREENSHOTS = join(tmpdir(), 'tickstream-screenshots');

/** What a test of the page has started: its server and its page, closed after the test. */
export interface PageTest {
  /** One Chromium for the whole file. */
  readonly browser: Browser;
  server: TestServer | undefined;
  opened: OpenedPage | undefined;
}

/** Registers the hooks of a file of page tests, and returns what its tests start. */
export function pageTests(): PageTest {
  let browser: Browser | undefined;
  const current: PageTest = {
    get browser(): Browser {
      if (!browser) {
        throw new Error('the browser is launched before the first test');
      }
      return browser;
    },
    server: undefined,
    opened: undefined,
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterEach(async () => {
    await current.opened?.page.close();
    await current.server?.close();
    current.opened = undefined;
    current.server = undefined;
  });

  afterAll(() => browser?.close());

  return current;
}
