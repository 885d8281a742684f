import type { Page } from 'playwright-core';
import { TOKEN_COOKIE } from '@tickstream/client/contract';
import { mintToken } from '../src/auth/mint-token.js';
import { openPage } from './support/browser.js';
import { pageTests, SCREENSHOTS } from './support/page-tests.js';
import { startServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

/** What the browser itself logs for each request the server refuses with 401. */
const REFUSED = /^Failed to load resource: the server responded with a status of 401/;

/**
 * The message of the 401 that `path` answers: without a token, or with `bearer` as the one the
 * sign-in box hands the server.
 */
async function refusalWith(url: string, bearer?: string, path = '/api/symbols'): Promise<string> {
  const response = await fetch(`${url}${path}`, {
    method: bearer === undefined ? 'GET' : 'POST',
    headers: bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` },
  });
  expect(response.status).toBe(401);
  return ((await response.json()) as { message: string }).message;
}

const signInSays = (page: Page) => page.textContent('#sign-in .sign-in-why');

async function signIn(page: Page, value: string): Promise<void> {
  await page.fill('#sign-in input[name=token]', value);
  await page.click('#sign-in button[type=submit]');
}

describe('the page, signing in to a server that requires a token', () => {
  const current = pageTests();

  it('asks for a token, says why the server refuses one, and streams once given a good one', async () => {
    current.server = await startServer({ ...JWT_SERVER, TICKS_PER_SECOND: '200' });
    const { url } = current.server;
    current.opened = await openPage(current.browser, `${url}/?symbols=AAPL,MSFT&throttle=0`);
    const { page } = current.opened;

    // No token: the box says what the server said, and nothing streams.
    await page.waitForSelector('#sign-in', { state: 'visible' });
    expect(await signInSays(page)).toBe(await refusalWith(url));
    expect(await page.isVisible('#sign-in input[name=token]')).toBe(true);
    expect(await page.getAttribute('#badge', 'data-state')).toBe('signed out');
    expect(await page.isHidden('#notice')).toBe(true);

    // Signed with another key: refused again, saying so.
    const forged = await mintToken(
      { sub: 'mallory', symbols: '*', expires: '1h' },
      { secret: 'another-secret-that-is-long-enough-for-hs256' },
    );
    const missing = await signInSays(page);
    await signIn(page, forged);
    await page.waitForFunction(
      (before) =>
        !document.querySelector<HTMLFormElement>('#sign-in')?.hidden &&
        document.querySelector('#sign-in .sign-in-why')?.textContent !== before,
      missing,
    );
    expect(await signInSays(page)).toBe(await refusalWith(url, forged, '/api/session'));
    expect(await signInSays(page)).toContain('signature');
    await page.screenshot({ path: `${SCREENSHOTS}/page-sign-in.png` });

    // A good token: the page streams, carrying it in the cookie the server reads.
    await signIn(page, await token({ symbols: ['AAPL', 'MSFT'] }));
    await page.waitForSelector('#badge[data-state="live"]', { timeout: 15_000 });
    expect(await page.isHidden('#sign-in')).toBe(true);
    await page.waitForFunction(() => window.tickstream.ticks.length >= 5);
    await page.waitForFunction(() => window.tickstream.chartState().bars.length > 0);
    expect(
      await page.$$eval('#tickers tbody tr', (rows) => rows.map((row) => row.dataset.symbol)),
    ).toEqual(['AAPL', 'MSFT']);
    // Kept by the server as an HttpOnly cookie: the page's scripts cannot read it.
    const cookies = await page.context().cookies(url);
    expect(
      cookies.map(({ name, sameSite, path, httpOnly }) => ({ name, sameSite, path, httpOnly })),
    ).toEqual([{ name: TOKEN_COOKIE, sameSite: 'Strict', path: '/', httpOnly: true }]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.isHidden('#notice')).toBe(true);
    expect(current.opened.errors.filter((error) => !REFUSED.test(error))).toEqual([]);
  });
});
