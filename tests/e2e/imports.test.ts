// An ERP file through the UI: choose it, create a file connection, check the suggested mapping, dry run,
// import, and read the summary of exactly what was written.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, screenshotDir } from '../support/browser.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-imports-${name}.png`, fullPage: true });

const CSV = ['Código;Nombre;Apellido;Email;Teléfono;Segmento', 'E-1;Ana;Pérez;ana@example.com;11 5555-0001;oro', 'E-2;Bruno;Paz;bruno(at)example.com;;plata', 'E-3;Carla;Gómez;carla@example.com;;oro'].join('\r\n');

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  t = await apiTenant('e2e-imports');
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(`${web()}/login?redirectTo=/imports`);
  await page.fill('input[name=workspace]', t.tenant.slug);
  await page.fill('input[name=email]', t.user.email);
  await page.fill('input[name=password]', t.user.password);
  await page.click('[data-testid=login-submit]');
  await page.waitForURL(`${web()}/imports`);
});

afterAll(async () => {
  await browser?.close();
  await closeAppDatabase();
});

describe('importing a file from the UI', () => {
  it('suggests the mapping, dry-runs in the browser, imports and shows what was written', async () => {
    await page.getByTestId('imports-empty').waitFor();
    await page.getByTestId('new-import').click();
    await page.waitForURL(`${web()}/imports/new`);

    await page.getByTestId('file-input').setInputFiles({ name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('mapping-table').waitFor();
    await expect.poll(() => page.getByTestId('file-info').textContent()).toContain('6 columns, UTF-8, separator ;');
    expect(await page.getByTestId('map-externalId').inputValue()).toBe('Código');
    expect(await page.getByTestId('map-email').inputValue()).toBe('Email');
    expect(await page.getByTestId('map-phone').inputValue()).toBe('Teléfono');
    // An unmapped column kept as an attribute.
    await page.getByLabel('Segmento').check();

    // A file connection, created on the spot; the mapping will be saved on it.
    await page.getByRole('combobox', { name: 'Connection' }).click();
    await page.getByRole('option', { name: 'New file connection…' }).click();
    await page.getByLabel('Connection name').fill('ERP Tango');
    await page.locator('form input[name=source]').fill('tango');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Connection' }).textContent()).toContain('ERP Tango (tango)');

    await page.getByTestId('dry-run').click();
    const result = page.getByTestId('dry-run-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('3 rows: 2 valid, 1 with errors.');
    expect(await result.getByTestId('import-errors').textContent()).toContain('email (column "Email"): Invalid email address');
    await shot('dry-run');

    await page.getByTestId('start-import').click();
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('import-outcome').textContent().catch(() => null), { timeout: 30_000 }).toBe('Finished: 2 of 3 rows written.');
    expect(await page.getByTestId('count-inserted').textContent()).toBe('2');
    expect(await page.getByTestId('count-failed').textContent()).toBe('1');
    const errors = await page.getByTestId('import-errors').textContent();
    expect(errors).toContain('3');
    expect(errors).toContain('Invalid email address');
    await shot('summary');

    const stored = (await appDatabase().$client.query(`select external_id, attributes from source_profiles where tenant_id = $1 and source = 'tango' order by external_id`, [t.tenant.id])).rows;
    expect(stored).toEqual([
      { external_id: 'E-1', attributes: { segmento: 'oro' } },
      { external_id: 'E-3', attributes: { segmento: 'oro' } },
    ]);
    const config = (await appDatabase().$client.query(`select config from connections where tenant_id = $1`, [t.tenant.id])).rows[0].config;
    expect(config.mappings.customers).toMatchObject({ externalId: 'Código', email: 'Email', 'attributes.segmento': 'Segmento' });

    await page.goto(`${web()}/imports`);
    expect(await page.getByTestId('import-row').count()).toBe(1);
    expect(await page.getByTestId('import-row').textContent()).toContain('clientes.csv');
  });
});
