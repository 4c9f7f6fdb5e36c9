import { bigserial, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ExperimentDefinition, ExperimentStatus, MetricDefinition } from '#core/experiments/definition.ts';
import type { ExperimentDecisionRecord, ExperimentResults } from '#core/experiments/results.ts';
import { createdAt, tenantId, updatedAt } from './_columns.ts';

/** A reusable metric (conversion, revenue per customer, AOV, open/click rate), referenced by experiments by id. */
export const experimentMetrics = pgTable(
  'experiment_metrics',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    key: text().notNull(),
    name: text().notNull(),
    description: text(),
    definition: jsonb().$type<MetricDefinition>().notNull(),
    higherIsBetter: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('experiment_metrics_tenant_key_uq').on(t.tenantId, t.key)],
);

/**
 * An experiment: its definition (design, audience, metrics, analysis settings, schedule) as validated by
 * core/experiments/definition.ts, its status, and once decided the winner and why. Status moves draft → scheduled |
 * running (API, on start) → completed (a winner, by rule or by hand) | stopped (signal, end date).
 */
export const experiments = pgTable(
  'experiments',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text().notNull(),
    status: text().$type<ExperimentStatus>().notNull().default('draft'),
    definition: jsonb().$type<ExperimentDefinition>().notNull(),
    /** Variant key every new assignment gets once a winner is chosen. */
    winnerVariant: text(),
    decision: jsonb().$type<ExperimentDecisionRecord>(),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    workflowId: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('experiments_tenant_name_uq').on(t.tenantId, t.name), index('experiments_tenant_status_idx').on(t.tenantId, t.status)],
);

/**
 * First exposure of a customer to an experiment: the sticky assignment (insert on conflict do nothing, so weight
 * changes never reshuffle anyone already exposed) and the start of every metric's attribution window.
 * No foreign key to customers: identity merges move rows explicitly, and a 1M-row experiment writes fast.
 */
export const experimentExposures = pgTable(
  'experiment_exposures',
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    customerId: uuid().notNull(),
    tenantId: tenantId(),
    /** A variant key, or 'holdout'. */
    variant: text().notNull(),
    exposedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** journey | campaign | api */
    source: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.customerId] }), index('experiment_exposures_tenant_customer_idx').on(t.tenantId, t.customerId)],
);

/** Every evaluation the workflow ran (timer, on demand, final), so the results page can chart how estimates moved. */
export const experimentEvaluations = pgTable(
  'experiment_evaluations',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    evaluatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    trigger: text().$type<'start' | 'timer' | 'manual' | 'final'>().notNull(),
    results: jsonb().$type<ExperimentResults>().notNull(),
  },
  (t) => [index('experiment_evaluations_experiment_idx').on(t.experimentId, t.evaluatedAt.desc())],
);
