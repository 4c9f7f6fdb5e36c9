// Request bodies of the messaging API (templates, consents, suppressions, email and cap settings), shared by the
// routes and the OpenAPI document.
import { z } from 'zod';
import { CHANNELS } from '../segments/rule.ts';

export const channelSchema = z.enum(CHANNELS);
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
