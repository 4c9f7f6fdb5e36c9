import { sql } from 'drizzle-orm';
import { bigint, bigserial, doublePrecision, index, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId } from './_columns.ts';
import { customers, sourceProfiles } from './customers.ts';

const profileRef = () =>
  uuid()
    .notNull()
    .references(() => sourceProfiles.id, { onDelete: 'cascade' });

// Key tables are derived data rewritten on every resolution, ~15 rows per profile: they carry no foreign
// keys (a check per inserted row doubled the cost of resolution in bench:identity). Resolution deletes a
// profile's old keys before writing new ones; deleting a tenant or a profile must delete its keys explicitly.
const derivedTenantId = () => uuid().notNull();
const derivedProfileId = () => uuid().notNull();

/** Deterministic match keys (document, email, phone + last name) of each profile; shared key ⇒ same person. */
export const identityKeys = pgTable(
  'identity_keys',
  {
    tenantId: derivedTenantId(),
    rule: text().notNull(),
    value: text().notNull(),
    profileId: derivedProfileId(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.rule, t.value, t.profileId] }), index('identity_keys_profile_idx').on(t.profileId)],
);

/** Blocking keys for the probabilistic pass: only profiles sharing one are ever compared. */
export const blockingKeys = pgTable(
  'blocking_keys',
  {
    tenantId: derivedTenantId(),
    key: text().notNull(),
    profileId: derivedProfileId(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key, t.profileId] }), index('blocking_keys_profile_idx').on(t.profileId)],
);

/** Absorbed master IDs keep resolving: alias → the customer that survived the merge. */
export const customerAliases = pgTable(
  'customer_aliases',
  {
    aliasId: uuid().primaryKey(),
    tenantId: tenantId(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The audit entry of the merge that created the alias (unmerge removes exactly these). */
    auditId: bigint({ mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('customer_aliases_customer_idx').on(t.tenantId, t.customerId)],
);

/** Append-only log of every identity change: who or which rule, when, why, before and after. */
export const identityAudit = pgTable(
  'identity_audit',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    /** The customer the change is about (the survivor of a merge); not a foreign key: history outlives rows. */
    customerId: uuid().notNull(),
    /** Every customer id involved, for the identity history of absorbed and restored customers too. */
    customerIds: uuid().array().notNull(),
    kind: text({ enum: ['auto_merge', 'manual_merge', 'review_merge', 'review_reject', 'unmerge', 'link'] }).notNull(),
    /** `rule:document`, `rule:probabilistic`, `user:<id>`, `api-key:<id>`. */
    actor: text().notNull(),
    reason: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    before: jsonb().$type<Record<string, unknown>>(),
    after: jsonb().$type<Record<string, unknown>>(),
    /** Set on a merge when an unmerge undid it. */
    undoneBy: bigint({ mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [index('identity_audit_customers_idx').using('gin', t.customerIds), index('identity_audit_tenant_idx').on(t.tenantId, t.id)],
);

/** Pairs of profiles that must never end up in one customer (unmerges and rejected reviews create them). */
export const doNotMerge = pgTable(
  'do_not_merge',
  {
    tenantId: tenantId(),
    /** profileA < profileB, so each pair is stored once. */
    profileA: profileRef(),
    profileB: profileRef(),
    reason: text(),
    createdBy: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.profileA, t.profileB] }), index('do_not_merge_b_idx').on(t.tenantId, t.profileB)],
);

/** Probable matches between the review and auto-merge thresholds, for a person to decide. */
export const identityReviews = pgTable(
  'identity_reviews',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    profileA: profileRef(),
    profileB: profileRef(),
    probability: doublePrecision().notNull(),
    weight: doublePrecision().notNull(),
    /** Per-comparison levels: the "why" shown to the reviewer. */
    levels: jsonb().$type<Record<string, string>>().notNull(),
    status: text({ enum: ['open', 'merged', 'rejected', 'obsolete'] }).notNull().default('open'),
    decidedBy: text(),
    decisionReason: text(),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('identity_reviews_pair_uq').on(t.tenantId, t.profileA, t.profileB),
    index('identity_reviews_open_idx')
      .on(t.tenantId, t.probability)
      .where(sql`${t.status} = 'open'`),
  ],
);
