// A marketer builds a segment in the browser: picks a condition, sees the validation message at the row, watches the
// live preview count, saves, and the detail page shows the members the recompute workflow computed.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, signedInPage, screenshotDir } from '../support/browser.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-${name}.png`, fullPage: true });

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  t = await apiTenant('e2e-seg');
  await appDatabase().$client.query(
    `insert into customers (tenant_id, email, first_name, attributes)
     select $1, 'p' || g || '@example.com', 'P' || g, jsonb_build_object('tier', case when g <= 2 then 'gold' else 'silver' end) from generate_series(1, 5) g`,
    [t.tenant.id],
  );
  browser = await launchBrowser();
  page = await signedInPage(browser, web(), { workspace: t.tenant.slug, email: t.user.email, password: t.user.password }, { width: 1400, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  await closeAppDatabase();
});

describe('segment builder', () => {
  it('builds an attribute segment with a live preview, saves it and shows its members', async () => {
    await page.goto(`${web()}/segments`);
    await page.getByTestId('segments-empty').waitFor();
    await page.getByTestId('new-segment').first().click();
    await page.waitForURL(`${web()}/segments/new`);
    await page.getByTestId('segment-name').fill('Gold tier');

    const row = page.getByTestId('condition-rules-0');
    await row.getByRole('combobox', { name: 'Condition' }).click();
    await page.getByRole('option', { name: 'Custom attribute' }).click();
    // An empty key is reported at its row, and the preview waits for a valid rule.
    await expect.poll(() => page.getByTestId('condition-rules-0-errors').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('segment-preview').textContent()).toContain('Complete the rule');

    await page.getByTestId('condition-rules-0-key').fill('tier');
    await page.getByTestId('condition-rules-0-predicate-value').fill('gold');
    await expect.poll(() => page.getByTestId('segment-preview-count').getAttribute('data-count')).toBe('2');
    await expect.poll(() => page.getByTestId('condition-rules-0-errors').count()).toBe(0);

    // A nested OR group that adds nobody: still 2.
    await page.getByTestId('group-root-add-group').click();
    await page.getByTestId('group-rules-1').waitFor();
    await shot('segment-builder');
    await page.getByTestId('group-root-or').click();
    await expect.poll(() => page.getByTestId('segment-preview-count').getAttribute('data-count')).toBe('5');
    await page.getByTestId('group-root-and').click();
    await expect.poll(() => page.getByTestId('segment-preview-count').getAttribute('data-count')).toBe('2');

    await page.getByTestId('segment-save').click();
    await page.waitForURL(/\/segments\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('segment-title').textContent()).toBe('Gold tier');
    // The recompute workflow fills the members; the page polls until the first computation is done.
    await expect.poll(() => page.getByTestId('segment-member-count').textContent(), { timeout: 30_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('segment-member').count()).toBe(2);
    await shot('segment-detail');

    await page.goto(`${web()}/segments`);
    await expect.poll(() => page.getByTestId('segment-row').count()).toBe(1);
    expect(await page.getByTestId('segment-members').textContent()).toBe('2');
  });
});
