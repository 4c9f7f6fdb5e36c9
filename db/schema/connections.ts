import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { ConnectionKind, ConnectionStatus, ImportCounts, ImportRowError, SyncCounts, SyncProgress } from '#core/connectors/types.ts';
import { createdAt, tenantId, updatedAt } from './_columns.ts';

/** A tenant's link to an outside system (VTEX store, MercadoLibre seller, ERP files). */
export const connections = pgTable(
  'connections',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    kind: text().$type<ConnectionKind>().notNull(),
    name: text().notNull(),
    status: text().$type<ConnectionStatus>().notNull().default('active'),
    /** Non-secret settings (account name, base URL, write-back field map, column mappings). Returned by the API. */
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Secrets (app keys, OAuth tokens) as one AES-256-GCM envelope (platform/secrets.ts). Never returned or logged. */
    credentials: text(),
    syncIntervalMinutes: integer().notNull().default(15),
    lastSyncAt: timestamp({ withTimezone: true }),
    lastError: text(),
    lastErrorAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('connections_tenant_name_uq').on(t.tenantId, t.name), index('connections_tenant_kind_idx').on(t.tenantId, t.kind)],
);

/** Where each stream of a connection has got to. Advanced in the same transaction as the page it covers. */
export const syncCursors = pgTable(
  'sync_cursors',
  {
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    stream: text().notNull(),
    cursor: jsonb().$type<Record<string, unknown>>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.stream] })],
);

/** One sync run (one workflow execution): what it fetched and wrote, how far it got, how it ended. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /** The Temporal workflow execution; unique so a retried "begin run" activity does not open a second run. */
    workflowId: text().notNull(),
    workflowRunId: text().notNull(),
    trigger: text().$type<'schedule' | 'manual' | 'webhook'>().notNull(),
    status: text().$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
    counts: jsonb().$type<SyncCounts>().notNull().default({ fetched: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 }),
    progress: jsonb().$type<SyncProgress>().notNull().default({}),
    /** Why the run failed, when it did. */
    error: text(),
    /** The first records that could not be stored (external id and reason); `counts.failed` has the total. */
    recordErrors: jsonb().$type<{ stream: string; externalId: string; reason: string }[]>().notNull().default([]),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique('sync_runs_workflow_uq').on(t.workflowId, t.workflowRunId), index('sync_runs_connection_started_idx').on(t.connectionId, t.startedAt.desc())],
);

/** Inbound webhook notifications, stored before they are answered and processed asynchronously. */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /** The provider's id for the notification (or a hash of its body); duplicates are dropped. */
    eventId: text().notNull(),
    topic: text().notNull(),
    /** The resource to fetch (an order id, a resource path). */
    resource: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    error: text(),
  },
  (t) => [
    unique('webhook_inbox_connection_event_uq').on(t.connectionId, t.eventId),
    index('webhook_inbox_pending_idx')
      .on(t.connectionId, t.id)
      .where(sql`${t.processedAt} is null`),
  ],
);

/** A CSV / JSON-lines file import (ERP exports): mapping, progress and the exact summary of what was written. */
export const imports = pgTable(
  'imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    connectionId: uuid().references(() => connections.id, { onDelete: 'set null' }),
    entity: text().$type<'customers' | 'orders' | 'order_items' | 'products'>().notNull(),
    format: text().$type<'csv' | 'jsonl'>().notNull(),
    /** Source name the rows are written under (idempotency: tenant + source + external id). */
    source: text().notNull(),
    fileName: text(),
    dryRun: boolean().notNull().default(false),
    status: text().$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
    mapping: jsonb().$type<Record<string, string>>().notNull().default({}),
    counts: jsonb().$type<ImportCounts>().notNull().default({ rows: 0, written: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 }),
    /** The first errors (line number and reason); `counts.failed` has the total. */
    errors: jsonb().$type<ImportRowError[]>().notNull().default([]),
    bytesRead: bigint({ mode: 'number' }).notNull().default(0),
    bytesTotal: bigint({ mode: 'number' }),
    /** How values are read: currency, decimal style, time zone, delimiter, encoding. */
    options: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The file's columns (CSV header, or the keys of the first JSON-lines record). */
    columns: jsonb().$type<string[]>(),
    /** Data rows staged by the upload (the denominator of row progress). */
    totalRows: integer(),
    error: text(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('imports_tenant_started_idx').on(t.tenantId, t.startedAt.desc())],
);

/** OAuth authorization-code flow in progress: the state parameter ties the callback to a tenant's connection. */
export const oauthStates = pgTable('oauth_states', {
  state: text().primaryKey(),
  tenantId: tenantId(),
  connectionId: uuid()
    .notNull()
    .references(() => connections.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
});

export type Connection = typeof connections.$inferSelect;
export type SyncRun = typeof syncRuns.$inferSelect;
export type ImportRow = typeof imports.$inferSelect;
