import { z } from 'zod';

export const MAX_EVENTS_PER_BATCH = 1000;

const isoDate = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp with offset');
const jsonObject = z.record(z.string(), z.unknown());
const id = z.string().trim().min(1).max(255);

const common = {
  messageId: id.describe('Unique per message; retries with the same messageId are ignored (idempotency key).'),
  userId: id.optional(),
  anonymousId: id.optional(),
  context: jsonObject.optional(),
  timestamp: isoDate.optional().describe('When the event happened; defaults to when it was received.'),
  originalTimestamp: isoDate.optional(),
  sentAt: isoDate.optional(),
  integrations: jsonObject.optional(),
};

const needsIdentity = (m: { userId?: string | undefined; anonymousId?: string | undefined }) => !!(m.userId || m.anonymousId);
const identityIssue = { message: 'Either userId or anonymousId is required', path: ['userId'] };
// The refine above is invisible to JSON Schema; say it in the OpenAPI document too.
const identitySchema = { anyOf: [{ required: ['userId'] }, { required: ['anonymousId'] }] };

export const trackMessage = z
  .object({ type: z.literal('track'), event: z.string().trim().min(1).max(200), properties: jsonObject.optional(), ...common })
  .refine(needsIdentity, identityIssue)
  .meta({ id: 'TrackMessage', ...identitySchema });

export const identifyMessage = z
  .object({ type: z.literal('identify'), traits: jsonObject.optional(), ...common })
  .refine(needsIdentity, identityIssue)
  .meta({ id: 'IdentifyMessage', ...identitySchema });

export const eventMessage = z.discriminatedUnion('type', [trackMessage, identifyMessage]);
export type EventMessage = z.infer<typeof eventMessage>;

export const eventBatch = z
  .object({ batch: z.array(eventMessage).min(1).max(MAX_EVENTS_PER_BATCH) })
  .meta({ id: 'EventBatch', description: `Up to ${MAX_EVENTS_PER_BATCH} Segment-spec track/identify messages.` });
export type EventBatch = z.infer<typeof eventBatch>;

export const eventBatchResult = z
  .object({
    received: z.number().int().describe('Messages in the batch.'),
    inserted: z.number().int().describe('Messages stored now.'),
    duplicates: z.number().int().describe('Messages whose messageId was already stored (retries).'),
  })
  .meta({ id: 'EventBatchResult' });
