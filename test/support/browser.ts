import { createHash, X509Certificate } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs when it is missing; no tool downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium; `trustedCertificate` (a PEM) is trusted as well, for a server with a self-signed
 * certificate, and no other certificate error is ignored.
 */
export function launchBrowser(trustedCertificate?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(trustedCertificate === undefined
        ? []
        : [`--ignore-certificate-errors-spki-list=${spkiHash(trustedCertificate)}`]),
    ],
  });
}

/** The base64 SHA-256 of a certificate's public key, as Chromium names a key to trust. */
function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
}

/**
 * A new page at `url` that records every console error and uncaught exception; `cookies` are
 * set for the page's origin first, as a sign-in would leave them.
 */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
  cookies: Record<string, string> = {},
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  await page
    .context()
    .addCookies(
      Object.entries(cookies).map(([name, value]) => ({ name, value, url, httpOnly: true })),
    );
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return { page, errors };
}
