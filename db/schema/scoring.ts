import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId } from './_columns.ts';
import { customers } from './customers.ts';
import { products } from './products.ts';

const minor = () => bigint({ mode: 'number' });

/** One nightly (or on-demand) scoring run: what it was asked, which model parameters it used, how it went. */
export const scoringRuns = pgTable(
  'scoring_runs',
  {
    id: uuid().primaryKey(),
    tenantId: tenantId(),
    trigger: text().$type<'schedule' | 'manual'>().notNull(),
    workflowId: text().notNull(),
    workflowRunId: text(),
    /** Scores are computed as of this instant (the run's start, or a past instant when back-testing). */
    asOf: timestamp({ withTimezone: true }).notNull(),
    status: text().$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
    /** Model parameters actually used (fitted or fallen back to) and the tenant's scoring settings. */
    parameters: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Fit reports, AUCs, fallbacks, counts. */
    diagnostics: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Wall time per step in milliseconds, in step order. */
    steps: jsonb().$type<{ step: string; ms: number }[]>().notNull().default([]),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    error: text(),
  },
  (t) => [index('scoring_runs_tenant_started_idx').on(t.tenantId, t.startedAt.desc())],
);

/** The current scores of each customer (the latest run that scored them). Deleted with the customer. */
export const customerScores = pgTable(
  'customer_scores',
  {
    customerId: uuid()
      .primaryKey()
      .references(() => customers.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    runId: uuid().notNull(),
    asOf: timestamp({ withTimezone: true }).notNull(),
    orders: integer().notNull(),
    orders365: integer().notNull(),
    revenueMinor: minor().notNull(),
    currency: text().notNull(),
    firstOrderAt: timestamp({ withTimezone: true }),
    lastOrderAt: timestamp({ withTimezone: true }),
    r: smallint(),
    f: smallint(),
    m: smallint(),
    rfmSegment: text(),
    lifecycleState: text().notNull(),
    lifecycleReason: text().notNull(),
    /** When the customer entered the current lifecycle state. */
    lifecycleSince: timestamp({ withTimezone: true }).notNull(),
    clv1yMinor: minor(),
    clv3yMinor: minor(),
    clv5yMinor: minor(),
    expected30: doublePrecision(),
    expected90: doublePrecision(),
    expected365: doublePrecision(),
    pAlive: doublePrecision(),
    churnRisk: doublePrecision(),
    churnEpisodeOpen: boolean().notNull().default(false),
    /** Category → probability of buying in it in the next 30 days. */
    propensity: jsonb().$type<Record<string, number>>().notNull().default({}),
    recommendations: jsonb().$type<{ productId: string; score: number; reason: string }[]>().notNull().default([]),
    nextBestAction: jsonb().$type<{ action: string; channel?: string; reason: string; category?: string }>(),
    scoredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('customer_scores_tenant_segment_idx').on(t.tenantId, t.rfmSegment),
    index('customer_scores_tenant_lifecycle_idx').on(t.tenantId, t.lifecycleState),
  ],
);

/** What the UI charts: one row per customer per run in which something it shows changed (not every night). */
export const customerScoreHistory = pgTable(
  'customer_score_history',
  {
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    runId: uuid().notNull(),
    tenantId: tenantId(),
    asOf: timestamp({ withTimezone: true }).notNull(),
    r: smallint(),
    f: smallint(),
    m: smallint(),
    rfmSegment: text(),
    lifecycleState: text().notNull(),
    clv1yMinor: minor(),
    pAlive: real(),
    churnRisk: real(),
    expected90: real(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.runId] }), index('customer_score_history_tenant_run_idx').on(t.tenantId, t.runId)],
);

/**
 * Change events of scoring, append-only, for journeys: rfm segment entered/exited, lifecycle changed (every
 * transition: from, to, at, reason), churn-risk alert (once per episode). Unique per run so a retried step never
 * emits twice.
 */
export const scoreEvents = pgTable(
  'score_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    runId: uuid(),
    type: text().$type<'segment_entered' | 'segment_exited' | 'lifecycle_changed' | 'churn_risk_alert'>().notNull(),
    /** Segment for segment events; new state for lifecycle events. */
    subject: text().notNull().default(''),
    fromState: text(),
    toState: text(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('score_events_tenant_id_idx').on(t.tenantId, t.id),
    index('score_events_tenant_customer_idx').on(t.tenantId, t.customerId, t.at),
    uniqueIndex('score_events_once_uq')
      .on(t.tenantId, t.runId, t.customerId, t.type, t.subject)
      .where(sql`${t.runId} is not null`),
  ],
);

/** Item-to-item co-purchase neighbours, recomputed nightly. */
export const productNeighbours = pgTable(
  'product_neighbours',
  {
    tenantId: tenantId(),
    productId: uuid()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    neighbourId: uuid()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    count: integer().notNull(),
    support: doublePrecision().notNull(),
    confidence: doublePrecision().notNull(),
    lift: doublePrecision().notNull(),
    cosine: doublePrecision().notNull(),
    rank: smallint().notNull(),
    runId: uuid().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.productId, t.neighbourId] })],
);

/**
 * Per-run scratch space: one row of aggregated order history per customer, written by one set-based query and
 * read back in keyset batches by the scoring steps. Deleted when the run ends (unlogged: never worth WAL).
 */
export const scoringWork = pgTable(
  'scoring_work',
  {
    runId: uuid().notNull(),
    customerId: uuid().notNull(),
    tenantId: tenantId(),
    orders: integer().notNull(),
    orders365: integer().notNull(),
    revenueMinor: minor().notNull(),
    windowOrders: integer().notNull(),
    windowRevenueMinor: minor().notNull(),
    firstOrderAt: timestamp({ withTimezone: true }),
    lastOrderAt: timestamp({ withTimezone: true }),
    firstDay: date({ mode: 'string' }),
    lastDay: date({ mode: 'string' }),
    /** BG/NBD summary in days: repeat purchase days, recency, age; mean repeat-day spend in minor units. */
    x: integer().notNull(),
    txDays: integer().notNull(),
    tDays: integer().notNull(),
    mbarMinor: doublePrecision().notNull(),
    /** Days between the last purchase day and the one before it (null: one purchase day). */
    lastGapDays: integer(),
    /** Latest purchase day that came after a gap long enough to make it a reactivation. */
    reactivationDay: date({ mode: 'string' }),
    r: smallint(),
    f: smallint(),
    m: smallint(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.customerId] })],
);
