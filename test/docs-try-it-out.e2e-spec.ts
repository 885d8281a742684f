import { openPage } from './support/browser.js';
import { pageTests } from './support/page-tests.js';
import { startServer } from './support/test-server.js';

describe('"Try it out" of the stream on /docs, in Chromium', () => {
  const current = pageTests();

  it('shows the opening of a fresh stream and ends, pre-filled with no resume point', async () => {
    current.server = await startServer();
    current.opened = await openPage(current.browser, `${current.server.url}/docs`);
    const { page } = current.opened;
    const operation = page.locator('#operations-stream-StreamController_stream');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();

    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    const url = new URL((await operation.locator('.request-url pre').textContent()) ?? '');
    expect(Object.fromEntries(url.searchParams)).toEqual(
      expect.objectContaining({ symbols: 'AAPL,MSFT', live: 'false' }),
    );
    expect(url.searchParams.has('lastEventId')).toBe(false);
    expect(url.searchParams.has('since')).toBe(false);
    expect(url.searchParams.has('resumeSymbols')).toBe(false);
    const body =
      (await operation
        .locator('.live-responses-table .response-col_description pre')
        .first()
        .textContent()) ?? '';
    expect(body).toMatch(/^event: snapshot\n/);
    expect(body).not.toContain('event: reset');
    expect(current.server.bus.subscriberCount).toBe(0);
  });
});
