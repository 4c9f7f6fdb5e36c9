// Connections for the API and the UI alike: create, change, pause, delete (each together with its Temporal
// Schedule), check credentials, sync now, and the run history. Credentials go in encrypted and never come out.
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { z } from 'zod';
import {
  connectionInputSchemas,
  type ConnectionCheck,
  type ConnectionScheduleView,
  type ConnectionView,
  type CreateConnectionRequest,
  type PatchConnectionRequest,
  type SyncRunView,
} from '#core/api/connections.ts';
import { connectionSchemas } from '#core/connectors/config.ts';
import { UserError, type FieldError } from '#core/errors.ts';
import { toFieldErrors } from '#core/ingest/validation.ts';
import type { Db } from '#db/client.ts';
import { allConnections, closeAbandonedRun, latestSyncRuns, lockConnection } from '#db/queries/connection-sync.ts';
import {
  createConnection,
  deleteConnection,
  getConnection,
  inTransaction,
  listConnections,
  listSyncRuns,
  loadConnection,
  updateConnectionIn,
  type PublicConnection,
} from '#db/queries/connections.ts';
import type { SyncRun } from '#db/schema/connections.ts';
import { logger } from '#platform/logger.ts';
import { credentialsKeyring, SecretsError, type Keyring } from '#platform/secrets.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { syncRunWorkflowId, type SyncWorkflowInput } from '#workflows/connectors/sync.contract.ts';
import type { connectionSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { checkCredentials } from './connection-checks.server.ts';
import { getDb } from './db.server.ts';
import { workflowUiUrl } from './identity.server.ts';
import {
  deleteSyncSchedule,
  describeSyncSchedule,
  isSyncable,
  reconcileSyncSchedules,
  scheduleView,
  upsertSyncSchedule,
  withTemporal,
  type ReconcileReport,
} from './sync-schedules.server.ts';

export interface ConnectionsDeps {
  db: Db;
  keyring: () => Keyring;
  temporal: () => Promise<Client>;
  /** Where schedules and "sync now" start syncs (tests may point it at their own worker). */
  taskQueue: string;
}

export const connectionsDeps = (): ConnectionsDeps => ({ db: getDb(), keyring: credentialsKeyring, temporal: getTemporalClient, taskQueue: TASK_QUEUES.connectors });

const log = () => logger('connections');

/** Connections hold store credentials: owners and admins manage them, members look. */
export const canManageConnections = (role: string) => role === 'owner' || role === 'admin';

function keyringOf(deps: ConnectionsDeps): Keyring {
  try {
    return deps.keyring();
  } catch (err) {
    if (err instanceof SecretsError) throw new UserError('unavailable', err.message, 503);
    throw err;
  }
}

const notFound = (id: string) => new UserError('not_found', `No connection ${id}.`, 404);

/** The unique (tenant, name) index, as the API's 409. */
function asConflict(err: unknown, name: string | undefined): unknown {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'connections_tenant_name_uq')
    return new UserError('conflict', `A connection named "${name ?? ''}" already exists; choose another name.`, 409, [{ path: 'name', message: 'Already used by another connection' }]);
  return err;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function runView(run: SyncRun): SyncRunView {
  const started = new Date(run.startedAt);
  const finished = run.finishedAt ? new Date(run.finishedAt) : null;
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    counts: {
      fetched: Number(run.counts.fetched),
      inserted: Number(run.counts.inserted),
      updated: Number(run.counts.updated),
      skipped: Number(run.counts.skipped),
      failed: Number(run.counts.failed),
    },
    progress: run.progress ?? {},
    error: run.error,
    recordErrors: run.recordErrors ?? [],
    startedAt: started.toISOString(),
    finishedAt: finished?.toISOString() ?? null,
    durationMs: finished ? finished.getTime() - started.getTime() : null,
    workflowId: run.workflowId,
    workflowRunId: run.workflowRunId,
    temporalUiUrl: workflowUiUrl(run.workflowId, run.workflowRunId),
  };
}

const abandoned: Partial<Record<string, string>> = {
  TERMINATED: 'The run was terminated in Temporal before it finished.',
  CANCELLED: 'The run was cancelled before it finished.',
  TIMED_OUT: 'The run timed out in Temporal.',
  FAILED: 'The run failed in Temporal before it could record why; open it in the Temporal UI.',
};

/**
 * Runs marked running whose workflow is over (terminated or cancelled from the Temporal UI, timed out) never
 * closed their own record: close them, so the history does not show them running forever. Best effort.
 */
async function settleRunningRuns(deps: ConnectionsDeps, runs: SyncRun[]): Promise<SyncRun[]> {
  const running = runs.filter((r) => r.status === 'running');
  if (!running.length) return runs;
  const fixed = new Map<string, SyncRun>();
  try {
    await withTemporal(deps.temporal, async (client) => {
      for (const run of running) {
        let reason: string | undefined;
        try {
          const d = await client.workflow.getHandle(run.workflowId, run.workflowRunId).describe();
          reason = abandoned[d.status.name];
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) reason = 'The run’s workflow no longer exists in Temporal.';
          else throw err;
        }
        if (reason) {
          const closed = await closeAbandonedRun(deps.db.$client, run.id, reason);
          if (closed) fixed.set(run.id, closed);
        }
      }
    });
  } catch (err) {
    log().debug({ err }, 'could not settle running sync runs');
  }
  return runs.map((r) => fixed.get(r.id) ?? r);
}

function connectionView(c: PublicConnection, schedule: ConnectionScheduleView | null, latest: SyncRun | undefined): ConnectionView {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    status: c.status,
    config: c.config,
    hasCredentials: c.hasCredentials,
    syncIntervalMinutes: c.syncIntervalMinutes,
    lastSyncAt: iso(c.lastSyncAt),
    lastError: c.lastError,
    lastErrorAt: iso(c.lastErrorAt),
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
    schedule,
    latestRun: latest ? runView(latest) : null,
  };
}

async function views(deps: ConnectionsDeps, tenantId: string, rows: PublicConnection[]): Promise<ConnectionView[]> {
  if (!rows.length) return [];
  const latest = await latestSyncRuns(deps.db.$client, tenantId, rows.map((r) => r.id));
  // Both ask Temporal: concurrently, so an outage costs one connect timeout, not two.
  const [runs, schedules] = await Promise.all([
    settleRunningRuns(deps, [...latest.values()]),
    Promise.all(rows.map((c) => (isSyncable(c.kind) ? scheduleView(deps.temporal, c.id) : Promise.resolve(null)))),
  ]);
  const settled = new Map(runs.map((r) => [r.connectionId, r]));
  return rows.map((c, i) => connectionView(c, schedules[i]!, settled.get(c.id)));
}

export async function listConnectionViews(tenantId: string, deps = connectionsDeps()): Promise<ConnectionView[]> {
  return views(deps, tenantId, await listConnections(deps.db.$client, tenantId));
}

export async function getConnectionView(tenantId: string, id: string, deps = connectionsDeps()): Promise<ConnectionView> {
  const c = await getConnection(deps.db.$client, tenantId, id);
  if (!c) throw notFound(id);
  return (await views(deps, tenantId, [c]))[0]!;
}

/**
 * Saves the connection and creates its schedule in one step: the schedule is created inside the transaction
 * that inserts the row, so if Temporal is down nothing is saved (503), and if the commit fails the schedule is
 * deleted again. (A schedule firing before the commit finds no connection and records nothing.)
 */
export async function createConnectionFor(tenantId: string, input: CreateConnectionRequest, deps = connectionsDeps()): Promise<ConnectionView> {
  const ring = keyringOf(deps);
  let scheduled: string | undefined;
  let row: PublicConnection;
  try {
    row = await inTransaction(deps.db, async (tx) => {
      let created: PublicConnection;
      try {
        created = await createConnection(tx, ring, tenantId, {
          kind: input.kind,
          name: input.name,
          config: input.config,
          credentials: input.kind === 'file' ? undefined : input.credentials,
          syncIntervalMinutes: input.syncIntervalMinutes,
        });
      } catch (err) {
        throw asConflict(err, input.name);
      }
      if (isSyncable(created.kind)) {
        await withTemporal(deps.temporal, (client) => upsertSyncSchedule(client, created, deps.taskQueue));
        scheduled = created.id;
      }
      return created;
    });
  } catch (err) {
    if (scheduled) {
      const id = scheduled;
      await withTemporal(deps.temporal, (client) => deleteSyncSchedule(client, id)).catch(() => {});
    }
    throw err;
  }
  log().info({ tenantId, connectionId: row.id, kind: row.kind }, 'connection created');
  return connectionView(row, isSyncable(row.kind) ? await scheduleView(deps.temporal, row.id) : null, undefined);
}

const prefixed = (prefix: string, errors: FieldError[]) => errors.map((e) => ({ ...e, path: e.path ? `${prefix}.${e.path}` : prefix }));

/** The stored config with the patch merged over it (null removes an optional key), validated for the kind. */
function mergeConfig(kind: PublicConnection['kind'], stored: Record<string, unknown>, patch: Record<string, unknown>): { config?: Record<string, unknown>; errors: FieldError[] } {
  const input = connectionInputSchemas[kind].config as unknown as z.ZodObject;
  const sets = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
  const removes = Object.keys(patch).filter((k) => patch[k] === null);
  const errors: FieldError[] = [];
  const partial = input.partial().strict().safeParse(sets);
  if (!partial.success) errors.push(...toFieldErrors(partial.error));
  for (const k of removes) if (!(k in input.shape)) errors.push({ path: k, message: 'Unknown setting' });
  if (errors.length) return { errors };
  const merged: Record<string, unknown> = { ...stored, ...sets };
  for (const k of removes) delete merged[k];
  const full = connectionSchemas[kind].config.safeParse(merged);
  if (!full.success) return { errors: toFieldErrors(full.error) };
  return { config: full.data as Record<string, unknown>, errors: [] };
}

/** Applies a PATCH: the row and its schedule change together (the schedule update happens before the commit). */
export async function patchConnectionFor(tenantId: string, id: string, patch: PatchConnectionRequest, deps = connectionsDeps()): Promise<ConnectionView> {
  const ring = keyringOf(deps);
  const row = await inTransaction(deps.db, async (tx) => {
    const cur = await lockConnection(tx, tenantId, id);
    if (!cur) throw notFound(id);
    const details: FieldError[] = [];
    let config: Record<string, unknown> | undefined;
    if (patch.config) {
      const merged = mergeConfig(cur.kind, cur.config, patch.config);
      details.push(...prefixed('config', merged.errors));
      config = merged.config;
    }
    let credentials: Record<string, unknown> | undefined;
    if (patch.credentials) {
      const parsed = (connectionInputSchemas[cur.kind].credentials as unknown as z.ZodObject).partial().strict().safeParse(patch.credentials);
      if (!parsed.success) details.push(...prefixed('credentials', toFieldErrors(parsed.error)));
      else {
        const given = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
        // Nothing to change is not a change (re-encrypting the same values would clear the last error for nothing).
        if (Object.keys(given).length) credentials = given;
      }
    }
    if (details.length) throw new UserError('invalid_request', 'Invalid connection settings; nothing was changed.', 400, details);
    let updated: PublicConnection | undefined;
    try {
      updated = await updateConnectionIn(tx, ring, tenantId, id, { name: patch.name, config, credentials, syncIntervalMinutes: patch.syncIntervalMinutes, status: patch.status });
    } catch (err) {
      throw asConflict(err, patch.name);
    }
    if (!updated) throw notFound(id);
    const scheduleChanged = updated.syncIntervalMinutes !== cur.syncIntervalMinutes || updated.status !== cur.status;
    if (isSyncable(updated.kind) && scheduleChanged) {
      const next = updated;
      await withTemporal(deps.temporal, (client) => upsertSyncSchedule(client, next, deps.taskQueue));
    }
    return updated;
  });
  log().info({ tenantId, connectionId: id, fields: Object.keys(patch) }, 'connection updated');
  return (await views(deps, tenantId, [row]))[0]!;
}

/** Deletes the schedule (cancelling runs in flight), then the connection with its cursors and history. */
export async function deleteConnectionFor(tenantId: string, id: string, deps = connectionsDeps()): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const cur = await lockConnection(tx, tenantId, id);
    if (!cur) throw notFound(id);
    if (isSyncable(cur.kind)) {
      await withTemporal(deps.temporal, async (client) => {
        const described = await describeSyncSchedule(client, id);
        await deleteSyncSchedule(client, id);
        const inFlight = [
          ...(described?.info.runningActions ?? []).map((a) => client.workflow.getHandle(a.workflow.workflowId, a.workflow.firstExecutionRunId)),
          client.workflow.getHandle(syncRunWorkflowId(id)),
        ];
        // Closed or never-started runs answer "not found"; that is fine.
        await Promise.all(inFlight.map((h) => h.cancel().catch(() => undefined)));
      });
    }
    await deleteConnection(tx, tenantId, id);
  });
  log().info({ tenantId, connectionId: id }, 'connection deleted');
}

export async function checkConnectionFor(tenantId: string, id: string, deps = connectionsDeps()): Promise<ConnectionCheck> {
  if (!(await getConnection(deps.db.$client, tenantId, id))) throw notFound(id);
  const loaded = await loadConnection(deps.db.$client, keyringOf(deps), id);
  if (!loaded || loaded.tenantId !== tenantId) throw notFound(id);
  const result = await checkCredentials(loaded, { db: deps.db, keyring: keyringOf(deps), connectionId: id });
  if (!result.ok) log().info({ tenantId, connectionId: id, kind: loaded.kind }, 'credentials check failed');
  return result;
}

export interface SyncStartedView {
  workflowId: string;
  runId: string;
  temporalUiUrl: string;
  alreadyRunning: boolean;
}

/**
 * "Sync now": every run of a connection is `connectionSyncWorkflow` under the connection's one run id, which the
 * schedule's ticks use too, so runs are strictly serial. A run in flight (scheduled or manual) is joined and
 * reported with `alreadyRunning`; otherwise one starts with USE_EXISTING, so a tick or a click racing this one
 * still ends in a single run.
 */
export async function syncNowFor(tenantId: string, id: string, deps = connectionsDeps()): Promise<SyncStartedView> {
  const c = await getConnection(deps.db.$client, tenantId, id);
  if (!c) throw notFound(id);
  if (!isSyncable(c.kind)) throw new UserError('conflict', 'File connections do not sync: import a file into them instead.', 409);
  if (c.status === 'paused') throw new UserError('conflict', 'The connection is paused: resume it first.', 409);
  if (c.kind === 'mercadolibre' && !c.config.sellerId) throw new UserError('conflict', 'Not connected yet — use Connect with MercadoLibre first.', 409);
  const started = (workflowId: string, runId: string, alreadyRunning: boolean): SyncStartedView => ({ workflowId, runId, temporalUiUrl: workflowUiUrl(workflowId, runId), alreadyRunning });
  return withTemporal(deps.temporal, async (client) => {
    const run = client.workflow.getHandle(syncRunWorkflowId(id));
    const current = await run.describe().catch(() => undefined);
    if (current?.status.name === 'RUNNING') return started(current.workflowId, current.runId, true);
    const input: SyncWorkflowInput = { tenantId, connectionId: id, trigger: 'manual' };
    const handle = await client.workflow.start<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
      workflowId: syncRunWorkflowId(id),
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    });
    // USE_EXISTING hands back a run that started in between (a schedule tick's, which has a parent): a join.
    const joined = (await handle.describe().catch(() => undefined))?.parentExecution !== undefined;
    log().info({ tenantId, connectionId: id, workflowId: handle.workflowId, joined }, joined ? 'manual sync joined a scheduled run' : 'manual sync started');
    return started(handle.workflowId, handle.firstExecutionRunId, joined);
  });
}

export async function listRunsFor(tenantId: string, id: string, limit = 50, deps = connectionsDeps()): Promise<SyncRunView[]> {
  if (!(await getConnection(deps.db.$client, tenantId, id))) throw notFound(id);
  const runs = await settleRunningRuns(deps, await listSyncRuns(deps.db.$client, tenantId, id, limit));
  return runs.map(runView);
}

/** Recreates missing schedules and fixes drifted ones for every connection (of all tenants, or of one). */
export async function reconcileSchedules(deps = connectionsDeps(), only: { tenantId?: string } = {}): Promise<ReconcileReport> {
  const client = await withTemporal(deps.temporal, async (c) => c);
  return reconcileSyncSchedules(client, await allConnections(deps.db.$client, only.tenantId), deps.taskQueue);
}
