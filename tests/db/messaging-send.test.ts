// sendMessage against real PostgreSQL and a real SMTP server: idempotency, consent, suppression, frequency caps,
// bounces and transient failures.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendMessage, type SendDeps } from '#activities/messaging/send.ts';
import { closeEmailTransports } from '#activities/messaging/transport.ts';
import type { SendMessageInput } from '#activities/messaging/messaging.contract.ts';
import { addSuppression, setConsents } from '#db/queries/consents.ts';
import { createTemplate } from '#db/queries/message-templates.ts';
import { getMessage, messageStatsByNode, recordEngagement } from '#db/queries/messages.ts';
import { putEmailSettings, replaceFrequencyCaps } from '#db/queries/messaging-settings.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { verifyTrackingToken } from '#platform/tracking-tokens.ts';
import { createTestDatabase } from '../support/db.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp.ts';
import { seedTenant } from '../support/tenants.ts';

const ring = keyringFrom('0'.repeat(63) + '1');
const PUBLIC = 'https://cdp.example.test';
let t: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: SmtpSink;
let deps: SendDeps;
let tenantId: string;
let templateId: string;
let transactionalTemplateId: string;
let seq = 0;

const BODY = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hola {{ customer.firstName }}, tu CLV es {{ scores.clv1y }}</mj-text>
  <mj-button href="https://shop.example.com/offer?a=1&b=2">Ver oferta</mj-button>
  <mj-text><a href="{{ unsubscribe_url }}">Desuscribirme</a> <a href="mailto:help@shop.example.com">Ayuda</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

async function customer(fields: { email?: string | null; firstName?: string } = {}): Promise<string> {
  const r = await t.db.$client.query<{ id: string }>(`insert into customers (tenant_id, email, first_name) values ($1, $2, $3) returning id`, [
    tenantId,
    fields.email === undefined ? `c${++seq}@example.com` : fields.email,
    fields.firstName ?? 'Ana',
  ]);
  return r.rows[0]!.id;
}

const input = (customerId: string, over: Partial<SendMessageInput> = {}): SendMessageInput => ({
  tenantId,
  messageId: `msg-${++seq}`,
  customerId,
  channel: 'email',
  templateId,
  transactional: false,
  respectGlobalCaps: true,
  source: { kind: 'api' },
  ...over,
});

beforeAll(async () => {
  t = await createTestDatabase();
  smtp = await startSmtpSink();
  deps = { db: t.db, ring, publicUrl: PUBLIC };
  tenantId = (await seedTenant(t.db, 'msg')).tenant.id;
  await putEmailSettings(t.db.$client, ring, tenantId, { host: smtp.host, port: smtp.port, secure: false, user: 'mailer', from: 'Tienda <news@shop.example.com>', unsubscribeMailto: 'unsub@shop.example.com' }, 's3cret');
  templateId = (await createTemplate(t.db.$client, tenantId, { name: 'Promo', channel: 'email', category: 'marketing', subject: 'Hola {{ customer.firstName }}', preheader: 'Solo hoy', body: BODY })).id;
  transactionalTemplateId = (await createTemplate(t.db.$client, tenantId, { name: 'Receipt', channel: 'email', category: 'transactional', subject: 'Tu pedido', body: BODY })).id;
});

afterAll(async () => {
  closeEmailTransports();
  await smtp?.close();
  await t?.drop();
});

beforeEach(() => smtp.reset());

describe('sendMessage', () => {
  it('renders, tracks and sends one email with the standard headers', async () => {
    const id = await customer({ firstName: '<b>Ana</b>' });
    await t.db.$client.query(
      `insert into customer_scores (customer_id, tenant_id, run_id, as_of, orders, orders365, revenue_minor, currency, lifecycle_state, lifecycle_reason, lifecycle_since, clv1y_minor)
       values ($1, $2, gen_random_uuid(), now(), 1, 1, 1000, 'ARS', 'ACTIVE', 'x', now(), 1234550)`,
      [id, tenantId],
    );
    const res = await sendMessage(deps, input(id, { messageId: 'journey:abc/node-1' }));
    expect(res).toEqual({ messageId: 'journey:abc/node-1', status: 'sent', duplicate: false });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope.to).toEqual([`c${seq - 1}@example.com`]);
    // The password stored encrypted reached the SMTP server.
    expect(mail!.auth).toEqual({ username: 'mailer', password: 's3cret' });
    expect(mail!.parsed.subject).toBe('Hola <b>Ana</b>');
    expect(mail!.header('message-id')).toBe(`<m.${Buffer.from('journey:abc/node-1').toString('base64url')}@shop.example.com>`);
    expect(mail!.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const lu = mail!.header('list-unsubscribe')!;
    expect(lu).toMatch(new RegExp(`^<${PUBLIC}/t/u/[A-Za-z0-9_.-]+>, <mailto:unsub@shop.example.com\\?subject=unsubscribe>$`));
    const html = mail!.parsed.html as string;
    // Customer data is escaped: no markup injection.
    expect(html).toContain('Hola &lt;b&gt;Ana&lt;/b&gt;');
    expect(html).not.toContain('<b>Ana</b>');
    // Money in the tenant currency, es-AR style.
    expect(html).toMatch(/\$\s12\.345,50/);
    // Every http(s) link goes through the click redirect, carrying the original URL; the unsubscribe link does not.
    expect(html).not.toContain('https://shop.example.com/offer');
    const clicks = [...html.matchAll(/href="([^"]*\/t\/c\/[^"]+)"/g)].map((m) => m[1]!);
    expect(clicks).toHaveLength(1);
    const payload = verifyTrackingToken(ring, clicks[0]!.split('/t/c/')[1]!);
    expect(payload).toMatchObject({ k: 'click', t: tenantId, m: 'journey:abc/node-1', u: 'https://shop.example.com/offer?a=1&b=2' });
    expect(html).toContain(`href="${lu.slice(1, lu.indexOf('>'))}"`);
    expect(html).toContain('href="mailto:help@shop.example.com"');
    expect(html).toMatch(new RegExp(`<img src="${PUBLIC}/t/o/[A-Za-z0-9_.-]+" width="1" height="1"`));
    expect(mail!.parsed.text).toContain('Ver oferta');
    // The plain-text part: the customer's literal name (text needs no escaping), no markup of ours.
    expect(mail!.parsed.text).toMatch(/^Hola <b>Ana<\/b>, tu CLV es \$\s12\.345,50/);
    expect(mail!.parsed.text).not.toMatch(/<(table|div|td|mj-)/i);
    expect(html).toContain('Solo hoy');
    const row = await getMessage(t.db.$client, 'journey:abc/node-1');
    expect(row).toMatchObject({ status: 'sent', toAddress: `c${seq - 1}@example.com`, subject: 'Hola <b>Ana</b>', customerId: id });
    expect(row!.sentAt).toBeInstanceOf(Date);
  });

  it('is idempotent on the message id: the second call sends nothing and says duplicate', async () => {
    const id = await customer();
    const first = await sendMessage(deps, input(id, { messageId: 'same-id' }));
    const second = await sendMessage(deps, input(id, { messageId: 'same-id' }));
    expect(first).toMatchObject({ status: 'sent', duplicate: false });
    expect(second).toEqual({ messageId: 'same-id', status: 'sent', duplicate: true });
    await smtp.waitFor(1);
    // A concurrent pair with a fresh id also yields exactly one email.
    // The loser either finds the outcome or (still in flight) throws a retryable MessageInFlight.
    const race = await Promise.allSettled([sendMessage(deps, input(id, { messageId: 'race' })), sendMessage(deps, input(id, { messageId: 'race' }))]);
    const fresh = race.filter((r) => r.status === 'fulfilled' && !r.value.duplicate);
    expect(fresh).toHaveLength(1);
    const other = race.find((r) => r !== fresh[0])!;
    if (other.status === 'rejected') expect((other.reason as ApplicationFailure).type).toBe('MessageInFlight');
    else expect(other.value).toMatchObject({ status: 'sent', duplicate: true });
    await smtp.waitFor(2);
    expect(await sendMessage(deps, input(id, { messageId: 'race' }))).toMatchObject({ status: 'sent', duplicate: true });
    const count = await t.db.$client.query(`select count(*)::int as n from messages where id in ('same-id', 'race')`);
    expect(count.rows[0].n).toBe(2);
    expect(smtp.messages).toHaveLength(2);
  });

  it('skips marketing without consent, and transactional mail ignores consent', async () => {
    const id = await customer();
    await setConsents(t.db.$client, tenantId, id, [{ channel: 'email', status: 'revoked' }], 'test');
    expect(await sendMessage(deps, input(id))).toMatchObject({ status: 'skipped', reason: 'no_consent', duplicate: false });
    expect(await sendMessage(deps, input(id, { templateId: transactionalTemplateId, transactional: true }))).toMatchObject({ status: 'sent' });
    await smtp.waitFor(1);
    // Transactional mail carries no List-Unsubscribe.
    expect(smtp.messages[0]!.header('list-unsubscribe')).toBeUndefined();
  });

  it('requires explicit consent when the tenant says so', async () => {
    const id = await customer();
    await t.db.$client.query(`update tenants set settings = jsonb_set(settings, '{messaging}', '{"requireExplicitConsent": true}') where id = $1`, [tenantId]);
    try {
      expect(await sendMessage(deps, input(id))).toMatchObject({ status: 'skipped', reason: 'no_consent' });
      await setConsents(t.db.$client, tenantId, id, [{ channel: 'email', status: 'granted' }], 'test');
      expect(await sendMessage(deps, input(id))).toMatchObject({ status: 'sent' });
    } finally {
      await t.db.$client.query(`update tenants set settings = settings - 'messaging' where id = $1`, [tenantId]);
    }
  });

  it('never mails a suppressed address; transactional mail only stops for hard bounces', async () => {
    const unsub = await customer({ email: 'Unsub@Example.com' });
    await addSuppression(t.db.$client, tenantId, { channel: 'email', address: 'unsub@example.com', reason: 'unsubscribe' });
    const m = input(unsub);
    expect(await sendMessage(deps, m)).toMatchObject({ status: 'skipped', reason: 'suppressed' });
    expect(await getMessage(t.db.$client, m.messageId)).toMatchObject({ status: 'suppressed', skipReason: 'suppressed' });
    expect(await sendMessage(deps, input(unsub, { templateId: transactionalTemplateId, transactional: true }))).toMatchObject({ status: 'sent' });
    const bounced = await customer({ email: 'gone@example.com' });
    await addSuppression(t.db.$client, tenantId, { channel: 'email', address: 'gone@example.com', reason: 'hard_bounce' });
    expect(await sendMessage(deps, input(bounced, { templateId: transactionalTemplateId, transactional: true }))).toMatchObject({ status: 'skipped', reason: 'suppressed' });
  });

  it('enforces frequency caps atomically and says when to retry; the same id is re-evaluated later', async () => {
    const id = await customer();
    await replaceFrequencyCaps(t.db.$client, tenantId, [{ channel: null, maxMessages: 2, windowSeconds: 86_400 }]);
    try {
      const results = await Promise.all([1, 2, 3].map(() => sendMessage(deps, input(id))));
      expect(results.filter((r) => r.status === 'sent')).toHaveLength(2);
      const capped = results.find((r) => r.status === 'skipped')!;
      expect(capped.reason).toBe('capped');
      const firstSent = await t.db.$client.query(`select min(sent_at) as at from messages where customer_id = $1 and status = 'sent'`, [id]);
      const retryAt = new Date(capped.retryAt!).getTime();
      expect(retryAt).toBeGreaterThan(firstSent.rows[0].at.getTime() + 86_400_000 - 60_000);
      expect(retryAt).toBeLessThanOrEqual(firstSent.rows[0].at.getTime() + 86_400_000 + 60_000);
      // Ignoring global caps (a journey setting) sends anyway; transactional mail never counts.
      expect(await sendMessage(deps, input(id, { respectGlobalCaps: false }))).toMatchObject({ status: 'sent' });
      expect(await sendMessage(deps, input(id, { templateId: transactionalTemplateId, transactional: true }))).toMatchObject({ status: 'sent' });
      // Once the window has passed, the capped message id is claimed again and sent.
      const later = { ...deps, now: () => new Date(retryAt + 86_400_000) };
      expect(await sendMessage(later, { ...input(id), messageId: capped.messageId })).toMatchObject({ status: 'sent', duplicate: false });
      await smtp.waitFor(5);
    } finally {
      await replaceFrequencyCaps(t.db.$client, tenantId, []);
    }
  });

  it('skips customers without an address, missing templates and channels without a provider', async () => {
    const none = await customer({ email: null });
    expect(await sendMessage(deps, input(none))).toMatchObject({ status: 'skipped', reason: 'no_address' });
    const id = await customer();
    expect(await sendMessage(deps, input(id, { templateId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ status: 'skipped', reason: 'template_missing' });
    const sms = (await createTemplate(t.db.$client, tenantId, { name: 'SMS promo', channel: 'sms', category: 'marketing', body: 'Hola {{ customer.firstName }}' })).id;
    expect(await sendMessage(deps, input(id, { channel: 'sms', templateId: sms }))).toMatchObject({ status: 'skipped', reason: 'channel_not_configured' });
    // A tenant with no email settings (and no SMTP_URL in this environment) has no email channel.
    const other = (await seedTenant(t.db, 'nomail')).tenant.id;
    const tpl = (await createTemplate(t.db.$client, other, { name: 'x', channel: 'email', category: 'marketing', subject: 's', body: BODY })).id;
    const c = (await t.db.$client.query<{ id: string }>(`insert into customers (tenant_id, email) values ($1, 'x@example.com') returning id`, [other])).rows[0]!.id;
    expect(await sendMessage(deps, { ...input(c), tenantId: other, templateId: tpl })).toMatchObject({ status: 'skipped', reason: 'channel_not_configured' });
    expect(smtp.messages).toHaveLength(0);
  });

  it('turns a 550 on the recipient into a failed message, a bounce event and a suppression', async () => {
    const id = await customer({ email: 'nobody@example.com' });
    smtp.rejectRecipient('nobody@example.com');
    const m = input(id);
    expect(await sendMessage(deps, m)).toEqual({ messageId: m.messageId, status: 'failed', reason: 'hard_bounce', duplicate: false });
    const row = await getMessage(t.db.$client, m.messageId);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.bouncedAt).toBeInstanceOf(Date);
    const events = await t.db.$client.query(`select kind, detail from message_events where message_id = $1`, [m.messageId]);
    expect(events.rows).toEqual([{ kind: 'bounce', detail: expect.objectContaining({ smtpCode: 550 }) }]);
    const sup = await t.db.$client.query(`select reason from suppressions where tenant_id = $1 and address = 'nobody@example.com'`, [tenantId]);
    expect(sup.rows).toEqual([{ reason: 'hard_bounce' }]);
    // Retrying the same id reports the outcome; a new message to the address is suppressed.
    expect(await sendMessage(deps, m)).toMatchObject({ status: 'failed', reason: 'hard_bounce', duplicate: true });
    expect(await sendMessage(deps, input(id))).toMatchObject({ status: 'skipped', reason: 'suppressed' });
  });

  it('throws a retryable failure on 421 and sends on the retry with the same id', async () => {
    const id = await customer();
    smtp.failTransient(true);
    const m = input(id);
    const err = await sendMessage(deps, m).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect((err as ApplicationFailure).type).toBe('ProviderUnavailable');
    expect(await getMessage(t.db.$client, m.messageId)).toMatchObject({ status: 'sending', error: expect.stringContaining('421') });
    smtp.failTransient(false);
    expect(await sendMessage(deps, m)).toEqual({ messageId: m.messageId, status: 'sent', duplicate: false });
    await smtp.waitFor(1);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('messageStatsByNode', () => {
  it('aggregates sends, engagement, failures and skips by reason per journey node', async () => {
    const journeyId = '3f1e2d4c-5b6a-4789-8abc-def012345678';
    const src = (nodeId: string) => ({ kind: 'journey' as const, journeyId, journeyVersion: 1, nodeId, entryId: '9a8b7c6d-5e4f-4321-8abc-def012345678' });
    const a = await customer();
    const b = await customer();
    const noMail = await customer({ email: null });
    const bounce = await customer({ email: 'bounce-stats@example.com' });
    smtp.rejectRecipient('bounce-stats@example.com');
    const sentA = await sendMessage(deps, input(a, { source: src('email-1') }));
    await sendMessage(deps, input(b, { source: src('email-1') }));
    await sendMessage(deps, input(noMail, { source: src('email-1') }));
    await sendMessage(deps, input(bounce, { source: src('email-1') }));
    await sendMessage(deps, input(a, { source: src('email-2') }));
    await recordEngagement(t.db.$client, tenantId, sentA.messageId, 'click', { url: 'https://shop.example.com/offer' });
    const stats = await messageStatsByNode(t.db.$client, tenantId, journeyId);
    expect(stats).toEqual([
      { nodeId: 'email-1', sent: 2, delivered: 2, opened: 1, clicked: 1, unsubscribed: 0, failed: 1, skipped: { no_address: 1 } },
      { nodeId: 'email-2', sent: 1, delivered: 1, opened: 0, clicked: 0, unsubscribed: 0, failed: 0, skipped: {} },
    ]);
    expect(await messageStatsByNode(t.db.$client, tenantId, '00000000-0000-4000-8000-000000000000')).toEqual([]);
  });
});
