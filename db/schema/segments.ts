import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { SegmentRule } from '#core/segments/rule.ts';
import { createdAt, tenantId, updatedAt } from './_columns.ts';
import { customers } from './customers.ts';

/** A dynamic segment: a rule tree (core/segments) kept up to date incrementally and recomputed after scoring. */
export const segments = pgTable(
  'segments',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text().notNull(),
    description: text(),
    definition: jsonb().$type<SegmentRule>().notNull(),
    /** Archived segments keep their history but are no longer evaluated. */
    status: text().$type<'active' | 'archived'>().notNull().default('active'),
    /** Current members, maintained with the memberships. */
    memberCount: integer().notNull().default(0),
    lastComputedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('segments_tenant_name_uq').on(t.tenantId, t.name), index('segments_tenant_status_idx').on(t.tenantId, t.status)],
);

/**
 * One row per membership episode: a customer is a member while exited_at is null; leaving closes the row and a later
 * re-entry opens a new one, so "when did they enter / leave" survives.
 */
export const segmentMemberships = pgTable(
  'segment_memberships',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    segmentId: uuid()
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    enteredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    exitedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('segment_memberships_current_uq').on(t.segmentId, t.customerId).where(sql`${t.exitedAt} is null`),
    index('segment_memberships_customer_idx').on(t.tenantId, t.customerId).where(sql`${t.exitedAt} is null`),
  ],
);

/** Entries and exits in commit order: the feed journeys (entries, waits, exit criteria, goals) consume by `seq`. */
export const segmentMembershipEvents = pgTable(
  'segment_membership_events',
  {
    seq: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    segmentId: uuid()
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    change: text().$type<'entered' | 'exited'>().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('segment_membership_events_tenant_seq_idx').on(t.tenantId, t.seq), index('segment_membership_events_segment_idx').on(t.segmentId, t.at)],
);

/** Per-channel consent. `granted` is the only status that allows marketing on the channel (core/segments sql-schema). */
export const customerConsents = pgTable(
  'customer_consents',
  {
    tenantId: tenantId(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    channel: text().$type<'email' | 'whatsapp' | 'sms' | 'push'>().notNull(),
    status: text().$type<'granted' | 'revoked'>().notNull(),
    /** Where the decision came from: api, import, unsubscribe link, admin... */
    source: text().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.channel] }),
    index('customer_consents_tenant_idx').on(t.tenantId, t.channel, t.status),
    // The activation feed's keyset over changed consents (refreshChangedCustomers).
    index('customer_consents_tenant_updated_idx').on(t.tenantId, t.updatedAt, t.customerId),
  ],
);

/**
 * Durable positions in change feeds (events.id, segment_membership_events.seq, updated_at watermarks), one row per
 * tenant and consumer, so the activation workflow resumes exactly where it stopped after a crash or continue-as-new.
 */
export const activationCursors = pgTable(
  'activation_cursors',
  {
    tenantId: tenantId(),
    name: text().notNull(),
    position: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);
