import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { JourneyDefinition } from '#core/journeys/definition.ts';
import { createdAt, tenantId, updatedAt } from './_columns.ts';
import { customers } from './customers.ts';

/** Canvas positions by node id; kept apart from the definition so moving a node never changes the journey. */
export type JourneyLayout = Record<string, { x: number; y: number }>;

/**
 * A journey: an editable draft plus immutable published versions. Status: draft (never published), active (taking
 * entries), paused (no entries, sends held), archived (no entries; running customers drain).
 */
export const journeys = pgTable(
  'journeys',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text().notNull(),
    description: text(),
    status: text().$type<'draft' | 'active' | 'paused' | 'archived'>().notNull().default('draft'),
    /** The draft as last saved; may be invalid (validation runs on publish and is shown on the canvas). */
    draft: jsonb().$type<unknown>().notNull(),
    draftLayout: jsonb().$type<JourneyLayout>().notNull().default({}),
    /** Latest published version (new entries take it); null until first publish. */
    latestVersion: integer(),
    /** Ready-made template it was started from, if any. */
    templateKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('journeys_tenant_name_uq').on(t.tenantId, t.name), index('journeys_tenant_status_idx').on(t.tenantId, t.status)],
);

export const journeyVersions = pgTable(
  'journey_versions',
  {
    journeyId: uuid()
      .notNull()
      .references(() => journeys.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    tenantId: tenantId(),
    definition: jsonb().$type<JourneyDefinition>().notNull(),
    layout: jsonb().$type<JourneyLayout>().notNull().default({}),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedBy: text(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version] })],
);

/** One customer's run through a journey: one Temporal workflow, pinned to the version it entered. */
export const journeyEntries = pgTable(
  'journey_entries',
  {
    id: uuid().primaryKey(),
    tenantId: tenantId(),
    journeyId: uuid()
      .notNull()
      .references(() => journeys.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** Correlation key value (e.g. the cart id) or '' for unkeyed entries. */
    entryKey: text().notNull().default(''),
    workflowId: text().notNull(),
    workflowRunId: text(),
    status: text().$type<'running' | 'completed' | 'exited' | 'failed'>().notNull().default('running'),
    /** Journey-level holdout: entered (for conversion comparison) but receives nothing. */
    inHoldout: boolean().notNull().default(false),
    currentNodeId: text(),
    /** What started it: event message id, segment event seq, API request id, date occurrence. */
    trigger: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    enteredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    exitReason: text(),
    convertedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The id comes from the workflow (deterministic uuid4), so a retried recording activity finds its row; at most one
    // running entry per workflow id.
    uniqueIndex('journey_entries_running_workflow_uq').on(t.workflowId).where(sql`${t.status} = 'running'`),
    index('journey_entries_journey_customer_idx').on(t.journeyId, t.customerId, t.enteredAt),
    index('journey_entries_running_idx').on(t.tenantId, t.customerId).where(sql`${t.status} = 'running'`),
    index('journey_entries_journey_status_idx').on(t.journeyId, t.status),
  ],
);

/** Each node a run visits and the port it left by: per-node analytics on the canvas. */
export const journeySteps = pgTable(
  'journey_steps',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    journeyId: uuid()
      .notNull()
      .references(() => journeys.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    entryId: uuid()
      .notNull()
      .references(() => journeyEntries.id, { onDelete: 'cascade' }),
    /** The run's step counter: with entry_id it makes recording idempotent. */
    stepIndex: integer().notNull(),
    nodeId: text().notNull(),
    nodeType: text().notNull(),
    /** Port taken when leaving; null while the customer is still at the node. */
    port: text(),
    enteredAt: timestamp({ withTimezone: true }).notNull(),
    leftAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('journey_steps_entry_step_uq').on(t.entryId, t.stepIndex), index('journey_steps_journey_node_idx').on(t.journeyId, t.nodeId)],
);
