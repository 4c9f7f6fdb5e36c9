import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, updatedAt } from './_columns.ts';
import { customers } from './customers.ts';

export type MessageChannel = 'email' | 'whatsapp' | 'sms' | 'push';

/** A message template: Liquid personalization; for email an MJML body (rendered to responsive HTML) and a subject. */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text().notNull(),
    channel: text().$type<MessageChannel>().notNull(),
    /** Email only (Liquid). */
    subject: text(),
    /** Email only: inbox preview text (Liquid). */
    preheader: text(),
    /** Email: MJML with Liquid; other channels: Liquid text. */
    body: text().notNull(),
    /** Marketing messages need consent and count toward frequency caps; transactional ones do neither. */
    category: text().$type<'marketing' | 'transactional'>().notNull().default('marketing'),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('message_templates_tenant_name_uq').on(t.tenantId, t.name), index('message_templates_tenant_channel_idx').on(t.tenantId, t.channel)],
);

/** Per-tenant provider settings for a channel (e.g. SMTP host, port, from); secrets as an encrypted envelope. */
export const channelSettings = pgTable(
  'channel_settings',
  {
    tenantId: tenantId(),
    channel: text().$type<MessageChannel>().notNull(),
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** platform/secrets.ts envelope; never returned by the API nor logged. */
    secret: jsonb().$type<Record<string, unknown>>(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channel] })],
);

/** Global frequency caps: at most `max_messages` marketing messages per `window_seconds`, on a channel or on all. */
export const frequencyCaps = pgTable(
  'frequency_caps',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    /** Null: every channel together. */
    channel: text().$type<MessageChannel>(),
    maxMessages: integer().notNull(),
    windowSeconds: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('frequency_caps_tenant_idx').on(t.tenantId)],
);

/**
 * Every message the product tried to send. `id` is the idempotency key (journeys derive it from the workflow id and
 * node id), so a retried activity or a replayed workflow finds the row instead of sending again.
 */
export const messages = pgTable(
  'messages',
  {
    id: text().primaryKey(),
    tenantId: tenantId(),
    customerId: uuid().references(() => customers.id, { onDelete: 'set null' }),
    channel: text().$type<MessageChannel>().notNull(),
    templateId: uuid(),
    transactional: boolean().notNull().default(false),
    journeyId: uuid(),
    journeyVersion: integer(),
    nodeId: text(),
    entryId: uuid(),
    /** Address used (email, E.164 phone, device token). */
    toAddress: text(),
    subject: text(),
    /**
     * sending: claimed, provider call in flight; sent: accepted by the provider; failed: provider error;
     * suppressed / skipped: deliberately not sent (skip_reason says why: no_consent, suppressed, capped,
     * no_address, quiet_hours, channel_not_configured, holdout...).
     */
    status: text().$type<'sending' | 'sent' | 'failed' | 'suppressed' | 'skipped'>().notNull(),
    skipReason: text(),
    providerMessageId: text(),
    error: text(),
    createdAt: createdAt(),
    sentAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    openedAt: timestamp({ withTimezone: true }),
    clickedAt: timestamp({ withTimezone: true }),
    bouncedAt: timestamp({ withTimezone: true }),
    unsubscribedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('messages_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('messages_journey_node_idx').on(t.journeyId, t.nodeId),
    // Frequency caps count recent marketing sends per customer.
    index('messages_caps_idx').on(t.customerId, t.sentAt).where(sql`${t.status} = 'sent' and not ${t.transactional}`),
  ],
);

/** Engagement and delivery events for a message: open, click, unsubscribe, bounce, complaint, delivered. */
export const messageEvents = pgTable(
  'message_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    messageId: text()
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    kind: text().$type<'delivered' | 'open' | 'click' | 'unsubscribe' | 'bounce' | 'complaint'>().notNull(),
    url: text(),
    detail: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('message_events_message_idx').on(t.messageId, t.kind)],
);

/** Addresses that must never receive marketing on a channel (unsubscribes, hard bounces, complaints, manual). */
export const suppressions = pgTable(
  'suppressions',
  {
    tenantId: tenantId(),
    channel: text().$type<MessageChannel>().notNull(),
    /** Normalized address (lowercased email, E.164 phone). */
    address: text().notNull(),
    reason: text().$type<'unsubscribe' | 'hard_bounce' | 'complaint' | 'manual'>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.channel, t.address] })],
);
