// Debian's Chromium driven by playwright-core (no browser download).
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine has no network: without these Chromium keeps dialling out and stalls.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export const screenshotDir = 'test-results';

/** A page (English, given viewport) signed in as the tenant's user; a page error fails the test. */
export async function signedInPage(browser: Browser, webUrl: string, user: { workspace: string; email: string; password: string }, viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US', viewport })).newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(`${webUrl}/login`);
  await page.fill('input[name=workspace]', user.workspace);
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', user.password);
  await page.click('[data-testid=login-submit]');
  await page.waitForURL(`${webUrl}/`);
  return page;
}
