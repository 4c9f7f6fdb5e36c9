// A marketer fixes identities from the customer page: merge two customers, see the timeline, undo it.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTenant, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, signedInPage, screenshotDir } from '../support/browser.ts';
import { eventually } from '../support/temporal.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-${name}.png`, fullPage: true });
const idOf = (source: string, externalId: string) =>
  eventually(async () => (await t.api.get(`/api/v1/customers/lookup?source=${source}&externalId=${externalId}`)).body.id as string | undefined, 30_000, externalId);

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  t = await apiTenant('e2e-merge');
  browser = await launchBrowser();
  page = await signedInPage(browser, web(), { workspace: t.tenant.slug, email: t.user.email, password: t.user.password }, { width: 1280, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  await closeAppDatabase();
});

describe('merge and unmerge from the customer page', () => {
  it('merges two customers, shows it on the timeline, and unmerge restores the absorbed one', async () => {
    await t.api.post('/api/v1/profiles', { source: 'erp', records: [{ externalId: 'lu-1', email: 'lucas.old@example.com', firstName: 'Lucas' }] });
    const older = await idOf('erp', 'lu-1');
    await t.api.post('/api/v1/profiles', { source: 'vtex', records: [{ externalId: 'lu-2', email: 'lucas.new@example.com', lastName: 'Romero' }] });
    const newer = await idOf('vtex', 'lu-2');

    await page.goto(`${web()}/customers/${newer}`);
    await page.click('[data-testid=merge-open]');
    await page.fill('[data-testid=merge-other-id]', older);
    await page.fill('[data-testid=merge-reason]', 'Same person: confirmed by phone');
    await page.click('[data-testid=merge-submit]');
    await page.waitForURL(new RegExp(`/customers/${older}`));
    await page.getByTestId('action-success').waitFor();
    await expect.poll(() => page.getByTestId('timeline-entry').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('identity-timeline').innerText()).toContain('Same person: confirmed by phone');
    await shot('merged');

    const full = await t.api.get(`/api/v1/customers/${older}`);
    const moved = full.body.sourceProfiles.find((p: { externalId: string }) => p.externalId === 'lu-2').id;
    await page.click('[data-testid=unmerge-open]');
    await page.check(`[data-testid=unmerge-profile-${moved}]`);
    await page.fill('[data-testid=unmerge-reason]', 'Two different Lucas');
    await page.click('[data-testid=unmerge-submit]');
    await page.getByTestId('action-success').waitFor();
    await shot('unmerged');
    expect((await t.api.get(`/api/v1/customers/${newer}`)).body.id).toBe(newer);
  });
});
