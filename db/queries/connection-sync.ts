// Connections as the API, the UI and the schedule reconciler need them: row locks, run history, schedule inputs.
import type pg from 'pg';
import type { ConnectionKind, ConnectionStatus } from '#core/connectors/types.ts';
import type { SyncRun } from '../schema/connections.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

const runColumns = `id, tenant_id as "tenantId", connection_id as "connectionId", workflow_id as "workflowId", workflow_run_id as "workflowRunId", trigger, status,
  counts, progress, error, record_errors as "recordErrors", started_at as "startedAt", finished_at as "finishedAt"`;

/** The newest run of each of the tenant's connections (one index scan per connection). */
export async function latestSyncRuns(q: Queryable, tenantId: string, connectionIds?: string[]): Promise<Map<string, SyncRun>> {
  const r = await q.query<SyncRun>(
    `select distinct on (connection_id) ${runColumns} from sync_runs
     where tenant_id = $1 and ($2::uuid[] is null or connection_id = any($2::uuid[]))
     order by connection_id, started_at desc`,
    [tenantId, connectionIds ?? null],
  );
  return new Map(r.rows.map((run) => [run.connectionId, run]));
}

/**
 * Closes a run still marked running whose workflow was terminated, cancelled or timed out in Temporal (it never
 * reached its own "end run" step). Only a running run changes, so a run that just finished normally keeps its outcome.
 */
export async function closeAbandonedRun(q: Queryable, runId: string, error: string): Promise<SyncRun | undefined> {
  const r = await q.query<SyncRun>(
    `update sync_runs set status = 'failed', error = $2, finished_at = now() where id = $1 and status = 'running' returning ${runColumns}`,
    [runId, error],
  );
  return r.rows[0];
}

export interface LockedConnection {
  id: string;
  tenantId: string;
  kind: ConnectionKind;
  status: ConnectionStatus;
  name: string;
  config: Record<string, unknown>;
  syncIntervalMinutes: number;
}

const lockedColumns = `id, tenant_id as "tenantId", kind, status, name, config, sync_interval_minutes as "syncIntervalMinutes"`;

/** The connection, row-locked until the transaction ends (so the row and its schedule change together). */
export async function lockConnection(tx: Queryable, tenantId: string, id: string): Promise<LockedConnection | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return (await tx.query<LockedConnection>(`select ${lockedColumns} from connections where tenant_id = $1 and id = $2 for update`, [tenantId, id])).rows[0];
}

/** Every connection (of one tenant, or of all), for the schedule reconciler. */
export async function allConnections(q: Queryable, tenantId?: string): Promise<LockedConnection[]> {
  return (await q.query<LockedConnection>(`select ${lockedColumns} from connections where $1::uuid is null or tenant_id = $1 order by created_at, id`, [tenantId ?? null])).rows;
}
