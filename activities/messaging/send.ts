// sendMessage: one idempotent attempt to deliver a message (contract: messaging.contract.ts). The row in
// `messages` is claimed first, under a per-customer advisory lock so frequency caps count and claim atomically;
// every decision not to send is recorded on that row; the SMTP call happens after commit.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { CHANNELS } from '#core/segments/rule.ts';
import { frequencyCapDecision } from '#core/journeys/scheduling.ts';
import { buildRenderContext, sampleContextInput, type ContextCustomer, type RenderContextInput } from '#core/messaging/context.ts';
import { listUnsubscribeHeaders, messageIdHeader, normalizeEmail } from '#core/messaging/headers.ts';
import { addOpenPixel, rewriteLinks } from '#core/messaging/links.ts';
import { tenantLocale } from '#core/messaging/money.ts';
import type { Db } from '#db/client.ts';
import { inTransaction } from '#db/queries/connections.ts';
import { addSuppression, getSuppression } from '#db/queries/consents.ts';
import { loadConsentStatus, loadContextCustomer, loadContextScores, loadMessagingTenant, loadRecommendations, type MessagingTenant } from '#db/queries/message-context.ts';
import { getTemplate, type MessageTemplate } from '#db/queries/message-templates.ts';
import { claimMessage, lockCustomerSends, markAddressed, markBounced, markSent, markSkipped, noteAttemptError, recentSends, type MessageRow } from '#db/queries/messages.ts';
import { getFrequencyCaps } from '#db/queries/messaging-settings.ts';
import { logger } from '#platform/logger.ts';
import type { Keyring } from '#platform/secrets.ts';
import { messageLinks } from './links.ts';
import type { SendMessageInput, SendMessageResult } from './messaging.contract.ts';
import { renderTemplate, type RenderedMessage } from './render.ts';
import { resolveEmailTransport, type EmailTransport } from './transport.ts';

const log = logger('messaging');

export interface SendDeps {
  db: Db;
  ring: Keyring;
  now?: () => Date;
  /** Base of tracking links; default env().publicUrl. */
  publicUrl?: string;
}

const sendInput = z.object({
  tenantId: z.uuid(),
  messageId: z.string().min(1).max(500),
  customerId: z.uuid(),
  channel: z.enum(CHANNELS),
  templateId: z.string().min(1),
  transactional: z.boolean(),
  respectGlobalCaps: z.boolean(),
  source: z.union([
    z.object({ kind: z.literal('journey'), journeyId: z.string(), journeyVersion: z.number().int(), nodeId: z.string(), entryId: z.string() }),
    z.object({ kind: z.literal('test'), requestedBy: z.string() }),
    z.object({ kind: z.literal('api') }),
  ]),
  context: z.record(z.string(), z.unknown()).optional(),
});

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** What an earlier attempt with the same id decided, as the contract's result. */
function outcomeOf(row: MessageRow): SendMessageResult {
  if (row.status === 'sent') return { messageId: row.id, status: 'sent', duplicate: true };
  if (row.status === 'failed') return { messageId: row.id, status: 'failed', reason: row.bouncedAt ? 'hard_bounce' : (row.error ?? undefined), duplicate: true };
  return { messageId: row.id, status: 'skipped', reason: row.skipReason ?? row.status, duplicate: true };
}

type Decision =
  | { go: false; result: SendMessageResult }
  | { go: true; template: MessageTemplate; tenant: MessagingTenant; customer: ContextCustomer; address: string; transport: EmailTransport };

export async function sendMessage(deps: SendDeps, raw: SendMessageInput): Promise<SendMessageResult> {
  const parsed = sendInput.safeParse(raw);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`Invalid sendMessage input: ${parsed.error.message}`, 'InvalidInput');
  const input = parsed.data as SendMessageInput;
  const now = deps.now?.() ?? new Date();
  const journey = input.source.kind === 'journey' ? input.source : undefined;

  const decision = await inTransaction(deps.db, async (tx): Promise<Decision> => {
    await lockCustomerSends(tx, input.tenantId, input.customerId);
    const exists = (await tx.query(`select 1 from customers where tenant_id = $1 and id = $2`, [input.tenantId, input.customerId])).rowCount;
    const claim = await claimMessage(tx, {
      id: input.messageId,
      tenantId: input.tenantId,
      customerId: exists ? input.customerId : null,
      channel: input.channel,
      templateId: isUuid(input.templateId) ? input.templateId : null,
      transactional: input.transactional,
      journeyId: journey && isUuid(journey.journeyId) ? journey.journeyId : null,
      journeyVersion: journey?.journeyVersion ?? null,
      nodeId: journey?.nodeId ?? null,
      entryId: journey && isUuid(journey.entryId) ? journey.entryId : null,
    });
    if (claim.kind === 'done' && claim.existing.status === 'sending') {
      // Another attempt holds it right now: retrying later finds its outcome (or a lapsed lease) instead of sending twice.
      throw ApplicationFailure.retryable(`Message ${input.messageId} is being sent by another attempt.`, 'MessageInFlight');
    }
    if (claim.kind === 'done') return { go: false, result: outcomeOf(claim.existing) };
    if (claim.kind === 'retry') log.info({ messageId: input.messageId, previous: claim.previous }, 'message claimed again after an unfinished attempt');

    const skip = async (reason: string, status: 'skipped' | 'suppressed' = 'skipped', extra: Partial<SendMessageResult> = {}, toAddress?: string): Promise<Decision> => {
      await markSkipped(tx, input.messageId, status, reason, { toAddress });
      return { go: false, result: { messageId: input.messageId, status: 'skipped', reason, duplicate: false, ...extra } };
    };

    const template = await getTemplate(tx, input.tenantId, input.templateId);
    if (!template || template.archivedAt || template.channel !== input.channel) return skip('template_missing');
    // Only email has a provider so far; WhatsApp, SMS and push have no sender yet.
    if (input.channel !== 'email') return skip('channel_not_configured');
    if (!exists) return skip('customer_missing');
    const tenant = await loadMessagingTenant(tx, input.tenantId);
    const customer = await loadContextCustomer(tx, input.tenantId, input.customerId);
    if (!tenant || !customer) return skip('customer_missing');
    const transport = await resolveEmailTransport(tx, deps.ring, input.tenantId);
    if (!transport) return skip('channel_not_configured');
    const address = normalizeEmail(customer.email);
    if (!address) return skip('no_address');

    const suppression = await getSuppression(tx, input.tenantId, 'email', address);
    // Transactional mail still never goes to an address that hard-bounced.
    if (suppression && (!input.transactional || suppression.reason === 'hard_bounce')) return skip('suppressed', 'suppressed', {}, address);
    if (!input.transactional) {
      const consent = await loadConsentStatus(tx, input.tenantId, input.customerId, 'email');
      const allowed = tenant.settings.messaging.requireExplicitConsent ? consent === 'granted' : consent !== 'revoked';
      if (!allowed) return skip('no_consent', 'skipped', {}, address);
      if (input.respectGlobalCaps) {
        const caps = (await getFrequencyCaps(tx, input.tenantId)).map((c) => ({ channel: c.channel ?? ('any' as const), max: c.maxMessages, windowSeconds: c.windowSeconds }));
        if (caps.length) {
          const longest = Math.max(...caps.map((c) => c.windowSeconds));
          // Rows stamped by the database clock may sit a little after this process's `now`: they count as now.
          const past = (await recentSends(tx, input.tenantId, input.customerId, new Date(now.getTime() - longest * 1000), input.messageId)).map((p) => ({ ...p, at: p.at > now ? now : p.at }));
          const d = frequencyCapDecision(past, caps, now, { channel: input.channel, transactional: false });
          if (!d.allowed) return skip('capped', 'skipped', { retryAt: d.retryAt.toISOString() }, address);
        }
      }
    }
    await markAddressed(tx, input.messageId, address, null);
    return { go: true, template, tenant, customer, address, transport };
  });
  if (!decision.go) return decision.result;

  const { template, tenant, customer, address, transport } = decision;
  const links = messageLinks(deps.ring, input.tenantId, input.messageId, deps.publicUrl);
  const q = deps.db.$client;
  const [scores, recommendations] = await Promise.all([loadContextScores(q, input.tenantId, customer.id), loadRecommendations(q, input.tenantId, customer.id)]);
  const journeyName = (input.context?.journey as { name?: string } | undefined)?.name;
  let rendered: RenderedMessage;
  try {
    rendered = await renderTemplate(
      template,
      buildRenderContext({
        tenant: { name: tenant.name, currency: tenant.currency, locale: tenantLocale(tenant.defaultCountry, tenant.currency) },
        customer,
        scores,
        recommendations,
        event: (input.context?.event as Record<string, unknown> | undefined) ?? null,
        journey: journeyName ? { name: journeyName } : null,
        unsubscribeUrl: links.unsubscribe,
        preferencesUrl: links.unsubscribe,
        extra: input.context,
      }),
    );
  } catch (err) {
    // A template that parsed at save but cannot render (a render limit, a bad filter argument) will not get better on retry.
    const message = `Template could not be rendered: ${(err as Error).message}`;
    await q.query(`update messages set status = 'failed', error = $2 where id = $1`, [input.messageId, message]);
    return { messageId: input.messageId, status: 'failed', reason: 'render_error', duplicate: false };
  }
  return deliver(deps, { tenantId: input.tenantId, messageId: input.messageId, to: address, marketing: template.category === 'marketing' && !input.transactional, rendered, transport, links });
}

interface Delivery {
  tenantId: string;
  messageId: string;
  to: string;
  marketing: boolean;
  rendered: RenderedMessage;
  transport: EmailTransport;
  links: ReturnType<typeof messageLinks>;
}

/** Rewrites links, adds the pixel and headers, and hands the message to SMTP; records the outcome. */
async function deliver(deps: SendDeps, d: Delivery): Promise<SendMessageResult> {
  const q = deps.db.$client;
  const html = addOpenPixel(rewriteLinks(d.rendered.html ?? '', { track: d.links.click, keep: d.links.isOwn }).html, d.links.open);
  await q.query(`update messages set subject = $2 where id = $1`, [d.messageId, d.rendered.subject]);
  try {
    const info = await d.transport.transporter.sendMail({
      from: d.transport.from,
      to: d.to,
      ...(d.transport.replyTo ? { replyTo: d.transport.replyTo } : {}),
      subject: d.rendered.subject,
      html,
      text: d.rendered.text,
      messageId: messageIdHeader(d.messageId, d.transport.from),
      headers: {
        ...(d.marketing ? listUnsubscribeHeaders(d.links.unsubscribe, d.transport.unsubscribeMailto) : {}),
        'X-CDP-Message-Id': d.messageId,
      },
    });
    await markSent(q, d.messageId, (info as { messageId?: string }).messageId ?? null, deps.now?.() ?? new Date());
    return { messageId: d.messageId, status: 'sent', duplicate: false };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string; response?: string };
    const smtp = e.response ?? e.message;
    if (e.responseCode && e.responseCode >= 500 && e.code === 'EENVELOPE') {
      // The recipient was refused permanently: a hard bounce. Never mail this address again.
      await inTransaction(deps.db, async (tx) => {
        await markBounced(tx, d.tenantId, d.messageId, smtp, { smtpCode: e.responseCode, response: smtp }, deps.now?.() ?? new Date());
        await addSuppression(tx, d.tenantId, { channel: 'email', address: d.to, reason: 'hard_bounce' });
      });
      log.info({ messageId: d.messageId, code: e.responseCode }, 'hard bounce: address suppressed');
      return { messageId: d.messageId, status: 'failed', reason: 'hard_bounce', duplicate: false };
    }
    if (e.responseCode && e.responseCode >= 500 && e.code === 'EMESSAGE') {
      // The message itself was refused (content, size): permanent, but the address is fine.
      await q.query(`update messages set status = 'failed', error = $2 where id = $1`, [d.messageId, smtp.slice(0, 2000)]);
      return { messageId: d.messageId, status: 'failed', reason: 'rejected', duplicate: false };
    }
    await noteAttemptError(q, d.messageId, smtp);
    throw ApplicationFailure.retryable(`SMTP ${e.responseCode ?? e.code ?? 'error'}: ${smtp}`, 'ProviderUnavailable');
  }
}

/**
 * A test send to any address (the template editor's "send test"): same render and SMTP path, logged as a
 * transactional `test:` message without a customer, so it never touches consent, caps or a customer's log.
 * Customer data for the Liquid context comes from `customerId` when given, else from sample data.
 */
export async function sendTestEmail(
  deps: SendDeps,
  input: { tenantId: string; templateId: string; to: string; customerId?: string; context?: Record<string, unknown> },
): Promise<SendMessageResult & { error?: string }> {
  const q = deps.db.$client;
  const to = normalizeEmail(input.to);
  if (!to) return { messageId: '', status: 'skipped', reason: 'no_address', duplicate: false };
  const template = await getTemplate(q, input.tenantId, input.templateId);
  const tenant = await loadMessagingTenant(q, input.tenantId);
  if (!template || !tenant) return { messageId: '', status: 'skipped', reason: 'template_missing', duplicate: false };
  if (template.channel !== 'email') return { messageId: '', status: 'skipped', reason: 'channel_not_configured', duplicate: false };
  const transport = await resolveEmailTransport(q, deps.ring, input.tenantId);
  if (!transport) return { messageId: '', status: 'skipped', reason: 'channel_not_configured', duplicate: false };
  const messageId = `test:${randomUUID()}`;
  await claimMessage(q, { id: messageId, tenantId: input.tenantId, customerId: null, channel: 'email', templateId: template.id, transactional: true });
  await markAddressed(q, messageId, to, null);
  const links = messageLinks(deps.ring, input.tenantId, messageId, deps.publicUrl);
  const ctx = await recipientContext(deps, tenant, input.customerId, links.unsubscribe, input.context);
  const rendered = await renderTemplate(template, buildRenderContext(ctx));
  try {
    return await deliver(deps, { tenantId: input.tenantId, messageId, to, marketing: template.category === 'marketing', rendered, transport, links });
  } catch (err) {
    return { messageId, status: 'failed', reason: 'provider_error', duplicate: false, error: (err as Error).message };
  }
}

/** Liquid context input for previews and test sends: a real customer's data, or sample data. */
export async function recipientContext(deps: Pick<SendDeps, 'db'>, tenant: MessagingTenant, customerId: string | undefined, unsubscribeUrl: string, extra?: Record<string, unknown>): Promise<RenderContextInput> {
  const q = deps.db.$client;
  const t = { name: tenant.name, currency: tenant.currency, locale: tenantLocale(tenant.defaultCountry, tenant.currency) };
  const customer = customerId ? await loadContextCustomer(q, tenant.id, customerId) : undefined;
  if (!customer) {
    const sample = sampleContextInput(t, unsubscribeUrl);
    return { ...sample, event: (extra?.event as Record<string, unknown> | undefined) ?? sample.event, extra };
  }
  const [scores, recommendations] = await Promise.all([loadContextScores(q, tenant.id, customer.id), loadRecommendations(q, tenant.id, customer.id)]);
  return { tenant: t, customer, scores, recommendations, event: (extra?.event as Record<string, unknown> | undefined) ?? null, unsubscribeUrl, preferencesUrl: unsubscribeUrl, extra };
}
