// The email channel over real HTTP: template API validation, preview, test send through real SMTP, settings
// (write-only password), consents, suppressions, the message log and the public tracking routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sendMessage, type SendDeps } from '#activities/messaging/send.ts';
import { closeEmailTransports } from '#activities/messaging/transport.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp.ts';

const ring = keyringFrom('0'.repeat(63) + '1');
let smtp: SmtpSink;
let tenant: Awaited<ReturnType<typeof apiTenant>>;
let deps: SendDeps;
let base: string;

const BODY = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hola {{ customer.firstName | default: "cliente" }}</mj-text>
  <mj-button href="https://shop.example.com/sale">Ver</mj-button>
  <mj-text><a href="{{ unsubscribe_url }}">Baja</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

async function customer(email: string, firstName = 'Ana'): Promise<string> {
  const r = await appDatabase().$client.query<{ id: string }>(`insert into customers (tenant_id, email, first_name) values ($1, $2, $3) returning id`, [tenant.tenant.id, email, firstName]);
  return r.rows[0]!.id;
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  tenant = await apiTenant('msg');
  base = inject('webUrl');
  deps = { db: appDatabase(), ring, publicUrl: base };
});

afterAll(async () => {
  closeEmailTransports();
  await smtp?.close();
  await closeAppDatabase();
});

describe('templates API', () => {
  it('rejects Liquid that does not parse with the line and column', async () => {
    const r = await tenant.api.post('/api/v1/templates', { name: 'Broken', subject: 'Hi', body: '<mjml><mj-body>\n{% if customer.firstName %}\n</mj-body></mjml>' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('template_invalid');
    expect(r.body.error.details[0]).toMatchObject({ path: 'body', line: 2, column: 1 });
    const subject = await tenant.api.post('/api/v1/templates', { name: 'Broken subject', subject: 'Hi {{ customer.firstName ', body: BODY });
    expect(subject.status).toBe(400);
    expect(subject.body.error.details[0]).toMatchObject({ path: 'subject', line: 1 });
  });

  it('rejects invalid MJML with its line, and an email template without a subject', async () => {
    const r = await tenant.api.post('/api/v1/templates', { name: 'Bad MJML', subject: 'Hi', body: '<mjml><mj-body>\n<mj-section><mj-column><mj-bogus>x</mj-bogus></mj-column></mj-section>\n</mj-body></mjml>' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('template_invalid');
    expect(r.body.error.details[0]).toMatchObject({ path: 'body', line: 2, message: expect.stringContaining('mj-bogus') });
    const noSubject = await tenant.api.post('/api/v1/templates', { name: 'No subject', body: BODY });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.error.code).toBe('invalid_request');
  });

  it('creates, previews (escaped, for a customer), updates and deletes or archives templates', async () => {
    const created = await tenant.api.post('/api/v1/templates', { name: 'Welcome', subject: 'Hola {{ customer.firstName }}', preheader: 'Bienvenida', body: BODY });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ name: 'Welcome', channel: 'email', category: 'marketing', archivedAt: null });
    expect((await tenant.api.post('/api/v1/templates', { name: 'Welcome', subject: 'x', body: BODY })).status).toBe(409);

    const cust = await customer('prev@example.com', '<script>alert(1)</script>');
    const preview = await tenant.api.post(`/api/v1/templates/${id}/preview`, { customerId: cust });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Hola <script>alert(1)</script>');
    expect(preview.body.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(preview.body.html).not.toContain('<script>alert(1)</script>');
    expect(preview.body.text).toContain('Hola <script>alert(1)</script>');
    const sample = await tenant.api.post(`/api/v1/templates/${id}/preview`, { draft: { subject: 'Hey {{ customer.firstName }}' } });
    expect(sample.body.subject).toBe('Hey Ana');

    const patched = await tenant.api.call('PATCH', `/api/v1/templates/${id}`, { category: 'transactional', body: '<mjml><mj-body>{% for p in recommendations %}</mj-body></mjml>' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.code).toBe('template_invalid');
    const ok = await tenant.api.call('PATCH', `/api/v1/templates/${id}`, { category: 'transactional' });
    expect(ok.body.category).toBe('transactional');
    expect((await tenant.api.get(`/api/v1/templates/${id}`)).body.category).toBe('transactional');

    const unused = await tenant.api.post('/api/v1/templates', { name: 'Unused', subject: 'x', body: BODY });
    expect((await tenant.api.call('DELETE', `/api/v1/templates/${unused.body.id}`)).body).toEqual({ id: unused.body.id, deleted: true, archived: false });
    expect((await tenant.api.get(`/api/v1/templates/${unused.body.id}`)).status).toBe(404);
  });
});

describe('email settings, test send and tracking', () => {
  let templateId: string;

  it('stores SMTP settings with a write-only password', async () => {
    const put = await tenant.api.call('PUT', '/api/v1/settings/email', { host: smtp.host, port: smtp.port, user: 'mailer', password: 'hunter2-secret', from: 'Tienda <news@shop.example.com>' });
    expect(put.status).toBe(200);
    const got = await tenant.api.get('/api/v1/settings/email');
    expect(got.body).toMatchObject({ configured: true, settings: { host: smtp.host, port: smtp.port, user: 'mailer', hasPassword: true } });
    expect(JSON.stringify(got.body)).not.toContain('hunter2');
    expect(JSON.stringify(put.body)).not.toContain('hunter2');
    expect(got.body.settings).not.toHaveProperty('password');
    // Saving again without a password keeps the stored one.
    await tenant.api.call('PUT', '/api/v1/settings/email', { host: smtp.host, port: smtp.port, user: 'mailer', from: 'Tienda <news@shop.example.com>' });
    expect((await tenant.api.get('/api/v1/settings/email')).body.settings.hasPassword).toBe(true);
  });

  it('sends a test through the same render and SMTP path', async () => {
    templateId = (await tenant.api.post('/api/v1/templates', { name: 'Sale', subject: 'Ofertas para {{ customer.firstName }}', body: BODY })).body.id;
    smtp.reset();
    const r = await tenant.api.post(`/api/v1/templates/${templateId}/test-send`, { to: 'qa@example.com' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'sent', to: 'qa@example.com' });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope.to).toEqual(['qa@example.com']);
    expect(mail!.parsed.subject).toBe('Ofertas para Ana');
    expect(mail!.auth).toEqual({ username: 'mailer', password: 'hunter2-secret' });
    expect(mail!.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect((await tenant.api.post(`/api/v1/templates/${templateId}/test-send`, {})).status).toBe(400);
  });

  it('tracks opens, redirects clicks only to the signed URL, and unsubscribes in one click (RFC 8058)', async () => {
    const cust = await customer('track@example.com');
    smtp.reset();
    const res = await sendMessage(deps, { tenantId: tenant.tenant.id, messageId: `api-track-${cust}`, customerId: cust, channel: 'email', templateId, transactional: false, respectGlobalCaps: true, source: { kind: 'api' } });
    expect(res.status).toBe('sent');
    const [mail] = await smtp.waitFor(1);
    const html = mail!.parsed.html as string;
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!;
    const click = /href="([^"]+\/t\/c\/[^"]+)"/.exec(html)![1]!;
    const unsub = /^<([^>]+)>/.exec(mail!.header('list-unsubscribe')!)![1]!;
    expect(pixel.startsWith(base)).toBe(true);

    // Open pixel: a GIF; the first open sets opened_at, repeats are events only.
    const o1 = await fetch(pixel);
    expect(o1.status).toBe(200);
    expect(o1.headers.get('content-type')).toBe('image/gif');
    expect((await o1.arrayBuffer()).byteLength).toBeGreaterThan(20);
    const firstOpen = (await appDatabase().$client.query(`select opened_at from messages where id = $1`, [res.messageId])).rows[0].opened_at;
    expect(firstOpen).toBeInstanceOf(Date);
    await fetch(pixel);
    const afterTwo = await appDatabase().$client.query(`select opened_at, (select count(*)::int from message_events where message_id = $1 and kind = 'open') as opens from messages where id = $1`, [res.messageId]);
    expect(afterTwo.rows[0]).toEqual({ opened_at: firstOpen, opens: 2 });

    // Click: 302 to exactly the signed URL.
    const c = await fetch(click, { redirect: 'manual' });
    expect(c.status).toBe(302);
    expect(c.headers.get('location')).toBe('https://shop.example.com/sale');
    // A token whose payload was changed to point elsewhere is refused: no redirect at all.
    const token = click.split('/t/c/')[1]!;
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), u: 'https://evil.example.net/' })).toString('base64url');
    const bad = await fetch(`${base}/t/c/${forged}.${sig}`, { redirect: 'manual' });
    expect(bad.status).toBe(404);
    expect(bad.headers.get('location')).toBeNull();
    expect((await fetch(`${base}/t/c/garbage`, { redirect: 'manual' })).status).toBe(404);
    // An open token is not a click token.
    expect((await fetch(pixel.replace('/t/o/', '/t/c/'), { redirect: 'manual' })).status).toBe(404);

    // Unsubscribe: GET only shows the page; POST with the RFC 8058 body, no cookies or auth, unsubscribes.
    const page = await fetch(unsub);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await appDatabase().$client.query(`select unsubscribed_at from messages where id = $1`, [res.messageId])).rows[0].unsubscribed_at).toBeNull();
    for (let i = 0; i < 2; i++) {
      const post = await fetch(unsub, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(post.status).toBe(200);
    }
    const consents = await tenant.api.get(`/api/v1/customers/${cust}/consents`);
    expect(consents.body.consents).toEqual([expect.objectContaining({ channel: 'email', status: 'revoked', source: 'unsubscribe_link' })]);
    const sup = await tenant.api.get('/api/v1/suppressions?address=track@example.com');
    expect(sup.body.data).toEqual([expect.objectContaining({ channel: 'email', address: 'track@example.com', reason: 'unsubscribe' })]);

    // The message log shows every event once per occurrence; unsubscribe only once despite two requests.
    const log = await tenant.api.get(`/api/v1/customers/${cust}/messages`);
    expect(log.status).toBe(200);
    const msg = log.body.messages[0];
    expect(msg).toMatchObject({ id: res.messageId, status: 'sent', subject: 'Ofertas para Ana', templateName: 'Sale' });
    expect(msg.events.map((e: { kind: string }) => e.kind).sort()).toEqual(['click', 'open', 'open', 'unsubscribe']);

    // The template is now referenced: DELETE archives it.
    expect((await tenant.api.call('DELETE', `/api/v1/templates/${templateId}`)).body).toMatchObject({ deleted: false, archived: true });
    // And a new marketing send to the customer is not made.
    const again = await sendMessage(deps, { tenantId: tenant.tenant.id, messageId: `api-track-2-${cust}`, customerId: cust, channel: 'email', templateId, transactional: false, respectGlobalCaps: true, source: { kind: 'api' } });
    expect(again.status).toBe('skipped');
  });
});

describe('consents, suppressions and frequency caps API', () => {
  it('sets consent per channel and 404s for unknown customers', async () => {
    const cust = await customer('consent@example.com');
    const put = await tenant.api.call('PUT', `/api/v1/customers/${cust}/consents`, { consents: [{ channel: 'email', status: 'granted' }, { channel: 'sms', status: 'revoked' }] });
    expect(put.status).toBe(200);
    expect(put.body.consents.map((c: { channel: string; status: string }) => [c.channel, c.status])).toEqual([['email', 'granted'], ['sms', 'revoked']]);
    expect((await tenant.api.call('PUT', `/api/v1/customers/${cust}/consents`, { consents: [{ channel: 'fax', status: 'granted' }] })).status).toBe(400);
    expect((await tenant.api.get('/api/v1/customers/00000000-0000-4000-8000-000000000000/consents')).status).toBe(404);
  });

  it('adds, lists and lifts suppressions', async () => {
    const add = await tenant.api.post('/api/v1/suppressions', { address: ' Manual@Example.com ' });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ address: 'manual@example.com', reason: 'manual' });
    expect((await tenant.api.post('/api/v1/suppressions', { address: 'manual@example.com' })).status).toBe(200);
    expect((await tenant.api.get('/api/v1/suppressions?address=manual@example.com')).body.data).toHaveLength(1);
    expect((await tenant.api.call('DELETE', '/api/v1/suppressions?address=manual@example.com')).status).toBe(200);
    expect((await tenant.api.call('DELETE', '/api/v1/suppressions?address=manual@example.com')).status).toBe(404);
  });

  it('replaces frequency caps', async () => {
    const put = await tenant.api.call('PUT', '/api/v1/settings/frequency-caps', { caps: [{ channel: null, maxMessages: 3, windowSeconds: 604_800 }, { channel: 'email', maxMessages: 1, windowSeconds: 86_400 }] });
    expect(put.status).toBe(200);
    expect((await tenant.api.get('/api/v1/settings/frequency-caps')).body.caps).toEqual([
      { channel: 'email', maxMessages: 1, windowSeconds: 86_400 },
      { channel: null, maxMessages: 3, windowSeconds: 604_800 },
    ]);
    expect((await tenant.api.call('PUT', '/api/v1/settings/frequency-caps', { caps: [{ maxMessages: 0, windowSeconds: 10 }] })).status).toBe(400);
  });
});
