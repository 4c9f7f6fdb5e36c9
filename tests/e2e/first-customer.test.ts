// A person's first session: log in, send data through the API, find the customer in the app.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTenant, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, screenshotDir } from '../support/browser.ts';
import { eventually } from '../support/temporal.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-${name}.png`, fullPage: true });

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  t = await apiTenant('e2e');
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
});

afterAll(async () => {
  await browser?.close();
  await closeAppDatabase();
});

describe('first session', () => {
  it('asks for a login, rejects a wrong password and lets the right one in', async () => {
    await page.goto(`${web()}/customers`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=workspace]', t.tenant.slug);
    await page.fill('input[name=email]', t.user.email);
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[role=alert]');
    await page.fill('input[name=password]', t.user.password);
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(`${web()}/customers`);
    await shot('customers-empty');
    expect(await page.getByTestId('customer-row').count()).toBe(0);
  });

  it('shows a customer sent through the API, and its 360° page', async () => {
    const email = `sofia.${randomUUID().slice(0, 6)}@example.com`;
    const res = await t.api.post('/api/v1/events', {
      batch: [
        { type: 'identify', messageId: randomUUID(), userId: 'web-sofia', traits: { email, firstName: 'Sofía', lastName: 'Benítez', phone: '+54 9 11 5555-0101' } },
        { type: 'track', messageId: randomUUID(), userId: 'web-sofia', event: 'Product Viewed', properties: { sku: 'ZAP-42' } },
      ],
    });
    expect(res.status).toBe(200);
    await eventually(async () => (await t.api.get(`/api/v1/customers?q=${email}`)).body.data.length === 1, 30_000, 'customer');

    await page.goto(`${web()}/customers?q=${encodeURIComponent(email)}`);
    const row = page.getByTestId('customer-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain(email);
    await shot('customers-list');
    await row.click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('customer-email').innerText()).toContain(email);
    expect(await page.getByTestId('customer-name').innerText()).toContain('Sofía Benítez');
    expect(await page.getByTestId('event-item').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Product Viewed')]));
    await shot('customer-page');
  });

  it('switches to Spanish and keeps the choice', async () => {
    await page.click('[data-testid=language-es]');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('es');
    await page.goto(`${web()}/customers`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await shot('customers-es');
  });
});
