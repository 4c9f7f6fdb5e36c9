// A marketer writes an email template: live preview in a sandboxed iframe, compile errors with their line, save,
// set up SMTP in Settings and send a test that really arrives; the customer page shows consent and the message log.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, signedInPage, screenshotDir } from '../support/browser.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
let smtp: SmtpSink;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-${name}.png`, fullPage: true });

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  smtp = await startSmtpSink();
  t = await apiTenant('e2e-tpl');
  browser = await launchBrowser();
  page = await signedInPage(browser, web(), { workspace: t.tenant.slug, email: t.user.email, password: t.user.password }, { width: 1400, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  await smtp?.close();
  await closeAppDatabase();
});

describe('template editor', () => {
  it('previews live, shows compile errors, saves, and sends a real test email', async () => {
    await page.goto(`${web()}/templates`);
    await page.getByRole('link', { name: 'New template' }).click();
    await page.waitForURL(`${web()}/templates/new`);
    await page.getByLabel('Name').fill('Weekly picks');
    await page.getByTestId('template-subject').fill('Hi {{ customer.firstName }}, picks for you');
    // The preview renders server-side with sample data, inside a sandboxed iframe.
    await expect.poll(() => page.getByTestId('preview-subject').textContent()).toBe('Subject: Hi Ana, picks for you');
    const frame = page.getByTestId('preview-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('Producto recomendado');
    await shot('template-preview');

    // A Liquid error shows its line.
    const body = page.getByTestId('template-body');
    const good = await body.inputValue();
    await body.fill('<mjml><mj-body>\n{% if customer.firstName %}\n</mj-body></mjml>');
    await expect.poll(async () => (await page.getByTestId('template-errors').first().textContent()) ?? '').toContain('line 2');
    await body.fill(good);

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const stored = await t.api.get(`/api/v1/templates/${id}`);
    expect(stored.body).toMatchObject({ name: 'Weekly picks', subject: 'Hi {{ customer.firstName }}, picks for you' });

    // SMTP settings in Settings, then a test send from the editor that really arrives.
    await page.goto(`${web()}/settings`);
    await page.locator('#email input[name=host]').fill(smtp.host);
    await page.locator('#email input[name=port]').fill(String(smtp.port));
    await page.locator('#email input[name=from]').fill('Shop <news@shop.example.com>');
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await expect.poll(() => page.getByText('Email settings saved.').count()).toBe(1);
    await page.goto(`${web()}/templates/${id}`);
    await page.locator('input[name=to]').fill('marketer@example.com');
    await page.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.getByText('Test email sent to marketer@example.com.').count()).toBe(1);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.parsed.subject).toBe('Hi Ana, picks for you');
    await shot('template-test-sent');
  });

  it('shows consent toggles and the message log on the customer page', async () => {
    const c = (await appDatabase().$client.query<{ id: string }>(`insert into customers (tenant_id, email, first_name) values ($1, 'ui@example.com', 'Uma') returning id`, [t.tenant.id])).rows[0]!.id;
    await page.goto(`${web()}/customers/${c}`);
    // The first switch of the consent card is email (channels in a fixed order).
    const email = page.locator('#consents input[type=checkbox]').first();
    await expect.poll(() => email.count()).toBe(1);
    expect(await email.isChecked()).toBe(false);
    await email.click();
    await expect.poll(async () => (await t.api.get(`/api/v1/customers/${c}/consents`)).body.consents).toEqual([expect.objectContaining({ channel: 'email', status: 'granted' })]);
    expect(await page.getByText('No messages sent to this customer yet.').count()).toBe(1);
    await shot('customer-consents');
  });
});
