// A marketer builds a journey on the canvas: a blank journey (api entry → exit), a message node dragged from the
// palette onto the arrow between them, configured in the side panel (the validation error on the node goes away),
// undo/redo, save, publish; then customers entered through the API move the per-node counts on the canvas.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { launchBrowser, signedInPage, screenshotDir } from '../support/browser.ts';

let browser: Browser;
let page: Page;
let t: Awaited<ReturnType<typeof apiTenant>>;
let journeyId: string;
const web = () => inject('webUrl');
const shot = (name: string) => page.screenshot({ path: `${screenshotDir}/e2e-journey-${name}.png`, fullPage: true });
const TEMPLATE = 'Bienvenida e2e';

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  t = await apiTenant('e2e-journey');
  await appDatabase().$client.query(
    `insert into message_templates (tenant_id, name, channel, subject, body) values ($1, $2, 'email', 'Hola {{ customer.firstName }}', '<mjml><mj-body><mj-section><mj-column><mj-text>Hola</mj-text></mj-column></mj-section></mj-body></mjml>')`,
    [t.tenant.id, TEMPLATE],
  );
  browser = await launchBrowser();
  page = await signedInPage(browser, web(), { workspace: t.tenant.slug, email: t.user.email, password: t.user.password }, { width: 1600, height: 1100 });
});

afterAll(async () => {
  await browser?.close();
  await closeAppDatabase();
});

const node = (id: string) => page.locator(`[data-testid=journey-node][data-node-id="${id}"]`);
const nodeOfType = (type: string) => page.locator(`[data-testid=journey-node][data-node-type="${type}"]`);
const stat = (n: Locator, name: string) => n.getByTestId(`node-stat-${name}`).getAttribute('data-value').catch(() => null);

describe('journey canvas', () => {
  it('builds entry → message → exit by drag and drop, fixes the message node, publishes, and watches counts move', async () => {
    await page.goto(`${web()}/journeys`);
    await page.getByTestId('journeys-empty').waitFor();
    await page.getByTestId('new-journey').first().click();
    await page.getByTestId('create-journey-name').fill('Bienvenida canvas');
    await page.getByTestId('template-blank').click();
    await page.getByTestId('create-journey-submit').click();
    await page.waitForURL(/\/journeys\/[0-9a-f-]{36}$/);
    journeyId = new URL(page.url()).pathname.split('/').pop()!;

    // A blank journey: an API entry wired to an exit, already valid.
    await node('entry').waitFor();
    await node('exit').waitFor();
    await page.getByTestId('problems-none').waitFor();

    // Drag a message node from the palette onto the arrow between them.
    const a = (await node('entry').boundingBox())!;
    const b = (await node('exit').boundingBox())!;
    const target = { x: a.x + a.width / 2, y: (a.y + a.height + b.y) / 2 };
    const canvas = (await page.getByTestId('journey-canvas').boundingBox())!;
    await page.getByTestId('palette-message').dragTo(page.getByTestId('journey-canvas'), { targetPosition: { x: target.x - canvas.x, y: target.y - canvas.y } });
    const message = nodeOfType('message');
    await message.waitFor();
    const messageId = (await message.getAttribute('data-node-id'))!;
    expect(messageId).toMatch(/^message-/);
    await page.getByTestId('auto-layout').click();
    await shot('dropped');

    // Inserted between the two: entry → message → exit (edges are "source:port").
    await page.locator(`[data-testid="rf__edge-entry:next"]`).waitFor({ state: 'attached' });
    await page.locator(`[data-testid="rf__edge-${messageId}:next"]`).waitFor({ state: 'attached' });
    // No template yet: the node shows the error, and the problems list names it.
    expect(await message.getAttribute('data-invalid')).toBe('true');
    await expect.poll(() => page.locator(`[data-testid=problem][data-node-id="${messageId}"]`).count()).toBeGreaterThan(0);

    // Configure it in the side panel.
    await message.click();
    const panel = page.getByTestId('node-panel');
    await expect.poll(() => panel.getAttribute('data-node-id')).toBe(messageId);
    await panel.getByTestId('field-node-name').fill('Welcome email');
    await panel.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: TEMPLATE }).click();
    await expect.poll(() => message.getAttribute('data-invalid')).toBe('false');
    await page.getByTestId('problems-none').waitFor();
    expect(await message.getByTestId('node-summary').allInnerTexts()).toContain(TEMPLATE);

    // Undo brings the error back; redo removes it again (keyboard, outside any field).
    await page.getByTestId('journey-name').click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => message.getAttribute('data-invalid')).toBe('true');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => message.getAttribute('data-invalid')).toBe('false');
    await shot('configured');

    // Save the draft, then publish.
    await page.getByTestId('save-draft').click();
    await page.getByTestId('journey-saved').waitFor();
    const saved = (await t.api.get(`/api/v1/journeys/${journeyId}`)).body;
    expect(saved.validation).toEqual({ ok: true, errors: [] });
    expect(saved.draft.nodes.find((n: { id: string }) => n.id === 'entry').next).toBe(messageId);
    expect(saved.draft.nodes.find((n: { id: string }) => n.id === messageId)).toMatchObject({ name: 'Welcome email', next: 'exit', channel: 'email' });

    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('journey-published').waitFor();
    await expect.poll(() => page.getByTestId('journey-status').getAttribute('data-status')).toBe('active');
    expect(await page.getByTestId('journey-version').innerText()).toBe('v1');
    const published = (await t.api.get(`/api/v1/journeys/${journeyId}/versions`)).body.data;
    expect(published.map((v: { version: number }) => v.version)).toEqual([1]);
    await shot('published');

    // Enter two customers through the API (the engine's endpoint); the canvas refreshes by itself.
    const db = appDatabase().$client;
    const customers = (
      await db.query<{ id: string }>(`insert into customers (tenant_id, email, first_name) values ($1, $2, 'Ana'), ($1, $3, 'Bruno') returning id`, [
        t.tenant.id,
        `ana.${randomUUID().slice(0, 6)}@example.com`,
        `bruno.${randomUUID().slice(0, 6)}@example.com`,
      ])
    ).rows.map((r) => r.id);
    const entered = await t.api.post(`/api/v1/journeys/${journeyId}/entries`, { customerIds: customers });
    expect(entered.status, JSON.stringify(entered.body)).toBeLessThan(300);
    await expect.poll(() => stat(node('entry'), 'entered'), { timeout: 60_000 }).toBe('2');
    await expect.poll(() => stat(node(messageId), 'entered'), { timeout: 60_000 }).toBe('2');
    await expect.poll(() => stat(node('exit'), 'entered'), { timeout: 60_000 }).toBe('2');
    await expect.poll(() => stat(node(messageId), 'waiting'), { timeout: 60_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('journey-totals').innerText(), { timeout: 30_000 }).toContain('2 entered');
    await shot('counts');
  });

  it('shows per-node counts from the recorded steps, refreshes them by itself, and per version', async () => {
    const db = appDatabase().$client;
    const tpl = (await db.query<{ id: string }>(`select id from message_templates where tenant_id = $1 and name = $2`, [t.tenant.id, TEMPLATE])).rows[0]!.id;
    const created = await t.api.post('/api/v1/journeys', {
      name: 'Counts',
      definition: {
        nodes: [
          { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'msg' },
          { id: 'msg', type: 'message', channel: 'email', templateId: tpl, next: 'exit' },
          { id: 'exit', type: 'exit' },
        ],
      },
    });
    const id = created.body.id as string;
    expect((await t.api.post(`/api/v1/journeys/${id}/publish`, {})).status).toBe(201);
    // What the engine records (journey_entries / journey_steps / messages), written here directly.
    const enter = async (stepsDone: boolean) => {
      const customer = (await db.query<{ id: string }>(`insert into customers (tenant_id) values ($1) returning id`, [t.tenant.id])).rows[0]!.id;
      const entry = randomUUID();
      await db.query(`insert into journey_entries (id, tenant_id, journey_id, version, customer_id, workflow_id, status) values ($1, $2, $3, 1, $4, $5, $6)`, [
        entry,
        t.tenant.id,
        id,
        customer,
        `wf-${entry}`,
        stepsDone ? 'completed' : 'running',
      ]);
      const steps: [number, string, string, string | null][] = [[0, 'entry', 'entry', 'next'], [1, 'msg', 'message', stepsDone ? 'next' : null], ...(stepsDone ? [[2, 'exit', 'exit', 'next'] as [number, string, string, string]] : [])];
      for (const [i, nodeId, type, port] of steps)
        await db.query(
          `insert into journey_steps (tenant_id, journey_id, version, entry_id, step_index, node_id, node_type, port, entered_at, left_at) values ($1, $2, 1, $3, $4, $5, $6, $7, now(), $8)`,
          [t.tenant.id, id, entry, i, nodeId, type, port, port ? new Date() : null],
        );
      if (stepsDone)
        await db.query(
          `insert into messages (id, tenant_id, customer_id, channel, template_id, journey_id, journey_version, node_id, entry_id, status, sent_at, opened_at) values ($1, $2, $3, 'email', $4, $5, 1, 'msg', $6, 'sent', now(), now())`,
          [`m-${entry}`, t.tenant.id, customer, tpl, id, entry],
        );
    };
    await enter(false);
    await page.goto(`${web()}/journeys/${id}`);
    await expect.poll(() => stat(node('msg'), 'waiting')).toBe('1');
    expect(await stat(node('entry'), 'entered')).toBe('1');
    expect(await stat(node('msg'), 'sent')).toBe('0');

    // More customers arrive: the canvas refreshes without a reload.
    await enter(true);
    await enter(true);
    await expect.poll(() => stat(node('entry'), 'entered')).toBe('3');
    await expect.poll(() => stat(node('msg'), 'sent')).toBe('2');
    expect(await stat(node('msg'), 'opened')).toBe('2');
    expect(await stat(node('exit'), 'entered')).toBe('2');
    expect(await node('msg').getByTestId('port-label-next').innerText()).toContain('2');
    await expect.poll(() => page.getByTestId('journey-totals').innerText()).toContain('3 entered');
    await shot('seeded-counts');

    // The published version, read-only, with its own numbers.
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Version 1 (read-only)' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('1');
    await expect.poll(() => page.getByTestId('journey-totals').innerText()).toContain('version 1');
    expect(await page.getByTestId('palette').count()).toBe(0);
    expect(await stat(node('entry'), 'entered')).toBe('3');
  });
});
