import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { tenantId } from './_columns.ts';

/**
 * Segment-spec track/identify messages, append-only. Kept lean on purpose: it is the
 * hottest write path, so every index here is paid on every event (see bench:ingest).
 * Events reach their customer through source_profiles (source 'events', external id = userId),
 * so they follow the customer across merges without being rewritten.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    messageId: text().notNull(),
    type: text({ enum: ['track', 'identify'] }).notNull(),
    event: text(),
    userId: text(),
    anonymousId: text(),
    properties: jsonb().$type<Record<string, unknown>>(),
    traits: jsonb().$type<Record<string, unknown>>(),
    context: jsonb().$type<Record<string, unknown>>(),
    timestamp: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Identify messages wait for the ingest workflow to fold their traits into a profile. */
    processed: boolean().notNull().default(false),
  },
  (t) => [
    unique('events_tenant_message_uq').on(t.tenantId, t.messageId),
    index('events_tenant_user_time_idx').on(t.tenantId, t.userId, t.timestamp),
    index('events_identify_pending_idx')
      .on(t.tenantId, t.id)
      .where(sql`${t.type} = 'identify' and not ${t.processed}`),
  ],
);

export type EventRow = typeof events.$inferSelect;
