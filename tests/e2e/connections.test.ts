// An admin connects a VTEX store from the Connections page: add it, check the credentials, watch a sync, pause it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { syncScheduleId } from '#workflows/connectors/sync.contract.ts';
import { recordRunPage } from '#db/queries/connections.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, signedInPage, screenshotDir } from '../support/browser.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
let temporal: { connection: Connection; client: Client };
let fake: http.Server;
let fakeUrl: string;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-${name}.png`, fullPage: true });

const APP_KEY = 'vtexappkey-e2estore-ABC';
const APP_TOKEN = 'e2e-token-DO-NOT-SHOW';

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  // VTEX's orders list for "check credentials" (one order, page 1), answering only to the right app key and
  // token. Anything else (a real sync) never gets an answer, so a run stays running while the test watches it.
  fake = http.createServer((req, res) => {
    const ok = req.headers['x-vtex-api-appkey'] === APP_KEY && req.headers['x-vtex-api-apptoken'] === APP_TOKEN;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/oms/pvt/orders' && url.searchParams.get('per_page') === '1') {
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { list: [], paging: { total: 7 } } : {}));
    }
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = { connection, client: new Client({ connection }) };
  t = await apiTenant('e2e-conn');
  browser = await launchBrowser();
  page = await signedInPage(browser, web(), { workspace: t.tenant.slug, email: t.user.email, password: t.user.password }, { width: 1280, height: 1000 });
});

afterAll(async () => {
  for (const c of (await t?.api.get('/api/v1/connections'))?.body.data ?? []) await t.api.call('DELETE', `/api/v1/connections/${c.id}`);
  await browser?.close();
  await temporal?.connection.close();
  fake?.closeAllConnections();
  await new Promise((r) => fake?.close(r));
  await closeAppDatabase();
});

describe('connections page', () => {
  it('adds a VTEX connection, lists it, checks its credentials, syncs and pauses it', async () => {
    await page.goto(`${web()}/connections`);
    await page.getByTestId('connections-empty').waitFor();
    await page.getByTestId('add-connection').first().click();
    await page.waitForURL(`${web()}/connections/new`);
    await page.getByTestId('kind-vtex').click();
    await page.waitForURL(/kind=vtex/);

    // Submitting without the required fields says which ones.
    await page.getByTestId('create-submit').click();
    await page.getByTestId('create-error').waitFor();
    expect(await page.locator('[data-testid="field-config-account"][aria-invalid="true"]').count()).toBe(1);

    await page.getByTestId('field-name').fill('Tienda VTEX');
    await page.getByTestId('field-config-account').fill('e2estore');
    await page.getByTestId('field-credentials-appKey').fill(APP_KEY);
    await page.getByTestId('field-credentials-appToken').fill(APP_TOKEN);
    await page.getByText('Advanced').click();
    await page.getByTestId('field-config-baseUrl').fill(fakeUrl);
    await shot('connection-new');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('connection-created').waitFor();
    expect(await page.getByTestId('connection-name').innerText()).toBe('Tienda VTEX');
    expect(await page.content()).not.toContain(APP_TOKEN);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    await page.goto(`${web()}/connections`);
    const row = page.locator(`[data-testid=connection-row][data-connection-id="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Tienda VTEX');
    expect(await row.getByTestId('connection-status').getAttribute('data-status')).toBe('active');
    await shot('connections-list');

    await row.getByTestId('connection-link').click();
    await page.waitForURL(`${web()}/connections/${id}`);
    expect(await page.getByTestId('schedule-state').innerText()).toContain('Every 15 minutes');

    await page.getByTestId('action-check').click();
    const check = page.getByTestId('check-result');
    await check.waitFor();
    expect(await check.getAttribute('data-ok')).toBe('true');
    expect(await check.innerText()).toContain('7 orders');

    // Sync now: the run appears and the page follows its progress by itself (it polls while a run is running).
    await page.getByTestId('action-sync').click();
    await page.getByTestId('sync-started').waitFor();
    await page.getByTestId('run-row').first().waitFor({ timeout: 20_000 });
    const status = () => page.getByTestId('run-status').first().getAttribute('data-status');
    expect(await status()).toBe('running');
    const runId = (await t.api.get(`/api/v1/connections/${id}/runs`)).body.data[0].id as string;
    // What a provider's sync workflow records after each page.
    await recordRunPage(appDatabase().$client, runId, { counts: { fetched: 1200, inserted: 1000, updated: 200 }, progress: { stream: 'orders', doneWindows: 3, totalWindows: 10 } });
    const progress = page.getByTestId('run-progress').first();
    await expect.poll(() => progress.innerText()).toContain('3/10 windows');
    expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('30');
    expect(await page.getByTestId('run-fetched').first().innerText()).toBe('1,200');
    await shot('connection-running');
    await recordRunPage(appDatabase().$client, runId, { counts: { fetched: 300, inserted: 300 }, progress: { stream: 'orders', doneWindows: 7, totalWindows: 10 } });
    await expect.poll(() => progress.innerText()).toContain('7/10 windows');
    expect(await page.getByTestId('run-fetched').first().innerText()).toBe('1,500');

    await temporal.client.workflow.getHandle(`sync:${id}:run`).terminate('e2e');
    await expect.poll(status).toBe('failed');
    expect(await page.getByTestId('run-error').first().innerText()).toContain('terminated');
    await shot('connection-detail');

    await page.getByTestId('action-pause').click();
    await page.getByTestId('status-changed').waitFor();
    await expect.poll(() => page.getByTestId('connection-status').first().getAttribute('data-status')).toBe('paused');
    expect((await temporal.client.schedule.getHandle(syncScheduleId(id)).describe()).state.paused).toBe(true);
    expect(await page.getByTestId('action-resume').count()).toBe(1);
    expect(await page.getByTestId('action-sync').isDisabled()).toBe(true);
    await shot('connection-paused');
  });
});
