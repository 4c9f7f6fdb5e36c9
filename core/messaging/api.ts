// Request bodies of the messaging API (templates, consents, suppressions, email and cap settings), shared by the
// routes and the OpenAPI document.
import { z } from 'zod';

// The same list as core/segments/rule.ts CHANNELS; not imported, because loading that module registers the
// recursive segment rule schemas in the OpenAPI registry, which the segments part documents on its own.
export const channelSchema = z.enum(['email', 'whatsapp', 'sms', 'push']);
export const templateCategory = z.enum(['marketing', 'transactional']);

export const createTemplateRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    channel: channelSchema.default('email'),
    category: templateCategory.default('marketing'),
    subject: z.string().max(1000).nullish(),
    preheader: z.string().max(1000).nullish(),
    body: z.string().min(1).max(500_000),
  })
  .refine((t) => t.channel !== 'email' || (t.subject ?? '').trim().length > 0, { message: 'An email template needs a subject.', path: ['subject'] })
  .meta({ id: 'CreateTemplate' });
export type CreateTemplateRequest = z.output<typeof createTemplateRequest>;

export const patchTemplateRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    category: templateCategory,
    subject: z.string().max(1000).nullable(),
    preheader: z.string().max(1000).nullable(),
    body: z.string().min(1).max(500_000),
  })
  .partial()
  .meta({ id: 'PatchTemplate' });
export type PatchTemplateRequest = z.output<typeof patchTemplateRequest>;

export const previewRequest = z
  .object({
    customerId: z.uuid().optional(),
    /** Extra Liquid variables, e.g. `event` for a cart. */
    context: z.record(z.string(), z.unknown()).optional(),
    /** Preview unsaved edits: these replace the stored fields. */
    draft: z.object({ subject: z.string().max(1000).nullish(), preheader: z.string().max(1000).nullish(), body: z.string().max(500_000).optional() }).optional(),
  })
  .meta({ id: 'PreviewTemplate' });

export const testSendRequest = z
  .object({ to: z.email().optional(), customerId: z.uuid().optional(), context: z.record(z.string(), z.unknown()).optional() })
  .refine((b) => b.to || b.customerId, { message: 'Give `to` (an address) or `customerId`.', path: ['to'] })
  .meta({ id: 'TestSend' });

export const putConsentsRequest = z
  .object({ consents: z.array(z.object({ channel: channelSchema, status: z.enum(['granted', 'revoked']) })).min(1).max(4), source: z.string().trim().min(1).max(100).default('api') })
  .meta({ id: 'PutConsents' });

export const createSuppressionRequest = z
  .object({ channel: channelSchema.default('email'), address: z.string().trim().min(3).max(320), reason: z.enum(['unsubscribe', 'hard_bounce', 'complaint', 'manual']).default('manual') })
  .meta({ id: 'CreateSuppression' });

export const emailSettingsRequest = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.coerce.number().int().min(1).max(65535).default(587),
    /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().trim().max(320).nullish(),
    /** Write-only: omitted keeps the stored one, null clears it. Never returned. */
    password: z.string().max(1000).nullish(),
    from: z.string().trim().min(3).max(320),
    replyTo: z.string().trim().max(320).nullish(),
    /** An address that receives `mailto:` unsubscribe requests (List-Unsubscribe); optional. */
    unsubscribeMailto: z.email().nullish(),
  })
  .meta({ id: 'EmailSettings' });
export type EmailSettingsRequest = z.output<typeof emailSettingsRequest>;

export const frequencyCapsRequest = z
  .object({
    caps: z
      .array(z.object({ channel: channelSchema.nullable().default(null), maxMessages: z.number().int().min(1).max(1000), windowSeconds: z.number().int().min(60).max(366 * 86_400) }))
      .max(20),
  })
  .meta({ id: 'FrequencyCaps' });

// ---- Responses (documentation: the OpenAPI document is generated from these)

export const templateView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    channel: channelSchema,
    category: templateCategory,
    subject: z.string().nullable(),
    preheader: z.string().nullable(),
    body: z.string(),
    archivedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Template' });
export const templateList = z.object({ data: z.array(templateView) }).meta({ id: 'TemplateList' });
export const templateDeleted = z.object({ id: z.uuid(), deleted: z.boolean(), archived: z.boolean() }).meta({ id: 'TemplateDeleted' });
export const previewResponse = z.object({ subject: z.string(), html: z.string(), text: z.string() }).meta({ id: 'TemplatePreview' });
export const sendResult = z
  .object({
    messageId: z.string(),
    status: z.enum(['sent', 'skipped', 'failed']),
    reason: z.string().optional().describe('no_consent, suppressed, capped, no_address, channel_not_configured, template_missing, hard_bounce, provider_error…'),
    duplicate: z.boolean(),
    retryAt: z.iso.datetime().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'SendResult' });
export const consentView = z.object({ channel: channelSchema, status: z.enum(['granted', 'revoked']), source: z.string(), updatedAt: z.iso.datetime() }).meta({ id: 'Consent' });
export const consentsResponse = z.object({ customerId: z.uuid(), consents: z.array(consentView) }).meta({ id: 'CustomerConsents' });
export const messageLogEntry = z
  .object({
    id: z.string(),
    channel: channelSchema,
    templateId: z.uuid().nullable(),
    templateName: z.string().nullable(),
    journeyId: z.uuid().nullable(),
    nodeId: z.string().nullable(),
    toAddress: z.string().nullable(),
    subject: z.string().nullable(),
    status: z.enum(['sending', 'sent', 'failed', 'suppressed', 'skipped']),
    skipReason: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    openedAt: z.iso.datetime().nullable(),
    clickedAt: z.iso.datetime().nullable(),
    bouncedAt: z.iso.datetime().nullable(),
    unsubscribedAt: z.iso.datetime().nullable(),
    events: z.array(z.object({ kind: z.enum(['delivered', 'open', 'click', 'unsubscribe', 'bounce', 'complaint']), url: z.string().nullable(), at: z.iso.datetime() })),
  })
  .meta({ id: 'MessageLogEntry' });
export const messageLog = z.object({ customerId: z.uuid(), messages: z.array(messageLogEntry) }).meta({ id: 'MessageLog' });
export const suppressionView = z.object({ channel: channelSchema, address: z.string(), reason: z.enum(['unsubscribe', 'hard_bounce', 'complaint', 'manual']), createdAt: z.iso.datetime() }).meta({ id: 'Suppression' });
export const suppressionList = z.object({ data: z.array(suppressionView) }).meta({ id: 'SuppressionList' });
export const emailSettingsView = z
  .object({
    configured: z.boolean(),
    serverDefault: z.boolean().optional().describe('No tenant settings, but the server-wide SMTP_URL is set and used.'),
    settings: z
      .object({
        host: z.string(),
        port: z.number().int(),
        secure: z.boolean(),
        user: z.string().nullable().optional(),
        from: z.string(),
        replyTo: z.string().nullable().optional(),
        unsubscribeMailto: z.string().nullable().optional(),
        hasPassword: z.boolean().describe('The password itself is never returned.'),
        updatedAt: z.iso.datetime(),
      })
      .optional(),
  })
  .meta({ id: 'EmailSettingsView' });
export const suppressionDeleted = z.object({ channel: channelSchema, address: z.string(), deleted: z.literal(true) }).meta({ id: 'SuppressionDeleted' });
