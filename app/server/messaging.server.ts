// Messaging for the web process: templates (validated at save), previews and test sends through the same renderer
// and SMTP path as journeys, consents, suppressions, the message log, email settings and frequency caps, and the
// public tracking endpoints (open pixel, click redirect, one-click unsubscribe).
import { recipientContext, sendMessage, sendTestEmail } from '#activities/messaging/send.ts';
import { messageLinks } from '#activities/messaging/links.ts';
import { renderTemplate, validateTemplate, type TemplateContent } from '#activities/messaging/render.ts';
import { closeEmailTransports } from '#activities/messaging/transport.ts';
import type { CreateTemplateRequest, EmailSettingsRequest, PatchTemplateRequest } from '#core/messaging/api.ts';
import { buildRenderContext, sampleContextInput } from '#core/messaging/context.ts';
import { normalizeEmail } from '#core/messaging/headers.ts';
import { tenantLocale } from '#core/messaging/money.ts';
import type { TrackingPayload } from '#core/messaging/tracking.ts';
import { UserError } from '#core/errors.ts';
import { inTransaction } from '#db/queries/connections.ts';
import { addSuppression, getConsents, listSuppressions, removeSuppression, setConsents } from '#db/queries/consents.ts';
import { loadMessagingTenant, type MessagingTenant } from '#db/queries/message-context.ts';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate, type MessageTemplate } from '#db/queries/message-templates.ts';
import { getMessage, messagesForCustomer, recordEngagement, recordMessageEvent } from '#db/queries/messages.ts';
import { getEmailSettings, getFrequencyCaps, putEmailSettings, replaceFrequencyCaps } from '#db/queries/messaging-settings.ts';
import type { MessageChannel } from '#db/schema/messaging.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { verifyTrackingToken } from '#platform/tracking-tokens.ts';
import { getDb } from './db.server.ts';

const log = logger('messaging');

async function tenantOf(tenantId: string): Promise<MessagingTenant> {
  const t = await loadMessagingTenant(getDb().$client, tenantId);
  if (!t) throw new UserError('not_found', 'Workspace not found.', 404);
  return t;
}

const sampleScope = (t: MessagingTenant) =>
  buildRenderContext(sampleContextInput({ name: t.name, currency: t.currency, locale: tenantLocale(t.defaultCountry, t.currency) }, 'https://example.com/unsubscribe'));

async function assertValid(tenant: MessagingTenant, content: TemplateContent): Promise<void> {
  const errors = await validateTemplate(content, sampleScope(tenant));
  if (errors.length) {
    const first = errors[0]!;
    const where = first.line ? ` (${first.path}, line ${first.line}${first.column ? `, column ${first.column}` : ''})` : ` (${first.path})`;
    throw new UserError('template_invalid', `The template does not compile: ${first.message}${where}.`, 400, errors);
  }
}

// ---- Templates

export const listTemplatesFor = (tenantId: string, opts: { channel?: MessageChannel; includeArchived?: boolean } = {}) => listTemplates(getDb().$client, tenantId, opts);

export async function getTemplateFor(tenantId: string, id: string): Promise<MessageTemplate> {
  const t = await getTemplate(getDb().$client, tenantId, id);
  if (!t) throw new UserError('not_found', 'Template not found.', 404);
  return t;
}

export async function createTemplateFor(tenantId: string, body: CreateTemplateRequest): Promise<MessageTemplate> {
  await assertValid(await tenantOf(tenantId), body);
  return createTemplate(getDb().$client, tenantId, body);
}

export async function patchTemplateFor(tenantId: string, id: string, patch: PatchTemplateRequest): Promise<MessageTemplate> {
  const current = await getTemplateFor(tenantId, id);
  const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as MessageTemplate;
  if (next.channel === 'email' && !(next.subject ?? '').trim()) throw new UserError('invalid_request', 'An email template needs a subject.', 400, [{ path: 'subject', message: 'Required for email.' }]);
  await assertValid(await tenantOf(tenantId), next);
  const updated = await updateTemplate(getDb().$client, tenantId, id, patch);
  if (!updated) throw new UserError('not_found', 'Template not found.', 404);
  return updated;
}

export async function deleteTemplateFor(tenantId: string, id: string): Promise<{ id: string; deleted: boolean; archived: boolean }> {
  const r = await deleteTemplate(getDb().$client, tenantId, id);
  if (!r) throw new UserError('not_found', 'Template not found.', 404);
  return { id, deleted: r === 'deleted', archived: r === 'archived' };
}

/** Server-side preview: the stored template (or unsaved draft fields) rendered for a customer or sample data. */
export async function previewTemplateFor(
  tenantId: string,
  id: string,
  body: { customerId?: string; context?: Record<string, unknown>; draft?: { subject?: string | null; preheader?: string | null; body?: string } },
): Promise<{ subject: string; html: string; text: string }> {
  const stored = await getTemplateFor(tenantId, id);
  return previewContent(tenantId, { ...stored, ...Object.fromEntries(Object.entries(body.draft ?? {}).filter(([, v]) => v !== undefined)) }, body);
}

/** Renders unsaved content (the editor before the first save, or with edits). Compile errors are a 400 with lines. */
export async function previewContent(tenantId: string, content: TemplateContent, body: { customerId?: string; context?: Record<string, unknown> }) {
  const tenant = await tenantOf(tenantId);
  await assertValid(tenant, content);
  if (body.customerId) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(body.customerId)) throw new UserError('not_found', 'Customer not found.', 404);
    const exists = await getDb().$client.query(`select 1 from customers where tenant_id = $1 and id = $2`, [tenantId, body.customerId]);
    if (!exists.rowCount) throw new UserError('not_found', 'Customer not found.', 404);
  }
  const links = messageLinks(credentialsKeyring(), tenantId, 'preview');
  const ctx = await recipientContext({ db: getDb() }, tenant, body.customerId, links.unsubscribe, body.context);
  try {
    const r = await renderTemplate(content, buildRenderContext(ctx));
    return { subject: r.subject, html: r.html ?? '', text: r.text };
  } catch (err) {
    throw new UserError('template_invalid', `The template could not be rendered: ${(err as Error).message}`, 400, [{ path: 'body', message: (err as Error).message }]);
  }
}

export async function testSendFor(tenantId: string, id: string, body: { to?: string; customerId?: string; context?: Record<string, unknown> }, requestedBy: string) {
  const template = await getTemplateFor(tenantId, id);
  const deps = { db: getDb(), ring: credentialsKeyring() };
  if (body.to) {
    const r = await sendTestEmail(deps, { tenantId, templateId: template.id, to: body.to, customerId: body.customerId, context: body.context });
    return { ...r, to: body.to };
  }
  const exists = await getDb().$client.query(`select 1 from customers where tenant_id = $1 and id = $2`, [tenantId, body.customerId]);
  if (!exists.rowCount) throw new UserError('not_found', 'Customer not found.', 404);
  try {
    // To a real customer: the full send path, consent and suppression included (a test must not spam an opted-out person).
    return await sendMessage(deps, {
      tenantId,
      messageId: `test:${crypto.randomUUID()}`,
      customerId: body.customerId!,
      channel: template.channel,
      templateId: template.id,
      transactional: template.category === 'transactional',
      respectGlobalCaps: false,
      source: { kind: 'test', requestedBy },
      context: body.context,
    });
  } catch (err) {
    return { messageId: '', status: 'failed' as const, reason: 'provider_error', duplicate: false, error: (err as Error).message };
  }
}

// ---- Consents, suppressions, message log

async function assertCustomer(tenantId: string, customerId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(customerId)) throw new UserError('not_found', 'Customer not found.', 404);
  const r = await getDb().$client.query(`select 1 from customers where tenant_id = $1 and id = $2`, [tenantId, customerId]);
  if (!r.rowCount) throw new UserError('not_found', 'Customer not found.', 404);
}

export async function consentsFor(tenantId: string, customerId: string) {
  await assertCustomer(tenantId, customerId);
  return { customerId, consents: await getConsents(getDb().$client, tenantId, customerId) };
}

export async function putConsentsFor(tenantId: string, customerId: string, body: { consents: { channel: MessageChannel; status: 'granted' | 'revoked' }[]; source: string }) {
  await assertCustomer(tenantId, customerId);
  await setConsents(getDb().$client, tenantId, customerId, body.consents, body.source);
  return consentsFor(tenantId, customerId);
}

export async function messageLogFor(tenantId: string, customerId: string, opts: { limit?: number; before?: Date } = {}) {
  await assertCustomer(tenantId, customerId);
  return { customerId, messages: await messagesForCustomer(getDb().$client, tenantId, customerId, opts) };
}

const normalizeAddress = (channel: MessageChannel, address: string) => (channel === 'email' ? normalizeEmail(address) : address.replace(/[^\d+]/g, '') || undefined);

export async function addSuppressionFor(tenantId: string, body: { channel: MessageChannel; address: string; reason: 'unsubscribe' | 'hard_bounce' | 'complaint' | 'manual' }) {
  const address = normalizeAddress(body.channel, body.address);
  if (!address) throw new UserError('invalid_request', 'Not a valid address for this channel.', 400, [{ path: 'address', message: 'Invalid address.' }]);
  const created = await addSuppression(getDb().$client, tenantId, { ...body, address });
  return { channel: body.channel, address, reason: body.reason, created };
}

export async function removeSuppressionFor(tenantId: string, channel: MessageChannel, rawAddress: string) {
  const address = normalizeAddress(channel, rawAddress);
  if (!address || !(await removeSuppression(getDb().$client, tenantId, channel, address))) throw new UserError('not_found', 'That address is not suppressed.', 404);
  return { channel, address, deleted: true };
}

export const listSuppressionsFor = (tenantId: string, opts: { channel?: MessageChannel; address?: string; limit?: number; after?: string }) =>
  listSuppressions(getDb().$client, tenantId, { channel: opts.channel, address: opts.address ? normalizeAddress(opts.channel ?? 'email', opts.address) : undefined, limit: opts.limit, before: opts.after });

// ---- Settings

/** The tenant's SMTP settings (never the password), or `configured: false` with whether the server-wide SMTP_URL applies. */
export async function emailSettingsFor(tenantId: string) {
  const s = await getEmailSettings(getDb().$client, tenantId);
  return s ? { configured: true, settings: s } : { configured: false, serverDefault: Boolean(env().SMTP_URL) };
}

export async function putEmailSettingsFor(tenantId: string, body: EmailSettingsRequest) {
  const { password, ...config } = body;
  await putEmailSettings(getDb().$client, credentialsKeyring(), tenantId, { ...config, user: config.user || null, replyTo: config.replyTo || null, unsubscribeMailto: config.unsubscribeMailto || null }, password === '' ? undefined : password);
  return emailSettingsFor(tenantId);
}

export async function frequencyCapsFor(tenantId: string) {
  return { caps: (await getFrequencyCaps(getDb().$client, tenantId)).map(({ channel, maxMessages, windowSeconds }) => ({ channel, maxMessages, windowSeconds })) };
}

export async function putFrequencyCapsFor(tenantId: string, caps: { channel: MessageChannel | null; maxMessages: number; windowSeconds: number }[]) {
  await inTransaction(getDb(), (tx) => replaceFrequencyCaps(tx, tenantId, caps));
  return frequencyCapsFor(tenantId);
}

/** For tests of the web process; transports are otherwise reused for the life of the process. */
export const closeWebEmailTransports = closeEmailTransports;

// ---- Tracking (public, token-verified)

export function verifyToken(token: string, kind: TrackingPayload['k']): TrackingPayload | undefined {
  const p = verifyTrackingToken(credentialsKeyring(), token);
  return p && p.k === kind ? p : undefined;
}

const trackingDetail = (request: Request) => ({ userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? null });

export async function trackOpen(request: Request, p: TrackingPayload): Promise<void> {
  await recordEngagement(getDb().$client, p.t, p.m, 'open', { detail: trackingDetail(request) }).catch((err: unknown) => log.warn({ err }, 'open not recorded'));
}

export async function trackClick(request: Request, p: Extract<TrackingPayload, { k: 'click' }>): Promise<void> {
  await recordEngagement(getDb().$client, p.t, p.m, 'click', { url: p.u, detail: trackingDetail(request) }).catch((err: unknown) => log.warn({ err }, 'click not recorded'));
}

/** The state the unsubscribe page shows. */
export async function unsubscribeState(p: TrackingPayload): Promise<{ address: string | null; unsubscribed: boolean; tenantName: string } | undefined> {
  const m = await getMessage(getDb().$client, p.m);
  if (!m || m.tenantId !== p.t) return undefined;
  const tenant = await loadMessagingTenant(getDb().$client, p.t);
  return { address: m.toAddress, unsubscribed: m.unsubscribedAt !== null, tenantName: tenant?.name ?? '' };
}

/**
 * RFC 8058 one-click unsubscribe (and the page's button): email consent revoked, the address suppressed, one
 * `unsubscribe` event. Idempotent: repeating it changes nothing.
 */
export async function unsubscribe(p: TrackingPayload, via: 'one_click' | 'page'): Promise<boolean> {
  const db = getDb();
  return inTransaction(db, async (tx) => {
    const m = await getMessage(tx, p.m);
    if (!m || m.tenantId !== p.t) return false;
    const first = await tx.query(`update messages set unsubscribed_at = now() where id = $1 and unsubscribed_at is null`, [m.id]);
    if (m.customerId) await setConsents(tx, p.t, m.customerId, [{ channel: m.channel }].map((c) => ({ ...c, status: 'revoked' as const })), 'unsubscribe_link');
    if (m.toAddress) await addSuppression(tx, p.t, { channel: m.channel, address: m.toAddress, reason: 'unsubscribe' });
    if (first.rowCount) await recordMessageEvent(tx, p.t, m.id, 'unsubscribe', { detail: { via } });
    return true;
  });
}
