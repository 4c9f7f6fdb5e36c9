// Connections, their cursors and sync runs. Credentials only ever leave this module decrypted for activities.
import type pg from 'pg';
import { addCounts, type ConnectionKind, type ConnectionStatus, type SyncCounts, type SyncProgress } from '#core/connectors/types.ts';
import { decryptJson, encryptJson, type Keyring } from '#platform/secrets.ts';
import type { Db } from '../client.ts';
import type { Connection, SyncRun } from '../schema/connections.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
export type Tx = pg.PoolClient;

/** Runs fn in one transaction on one pooled connection. */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** A connection as the API and UI see it: never the credentials, only whether they are set. */
export type PublicConnection = Omit<Connection, 'credentials'> & { hasCredentials: boolean };

const columns = `id, tenant_id as "tenantId", kind, name, status, config, credentials is not null as "hasCredentials",
  sync_interval_minutes as "syncIntervalMinutes", last_sync_at as "lastSyncAt", last_error as "lastError",
  last_error_at as "lastErrorAt", created_at as "createdAt", updated_at as "updatedAt"`;

export interface NewConnection {
  kind: ConnectionKind;
  name: string;
  config: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  syncIntervalMinutes?: number;
  status?: ConnectionStatus;
}

export async function createConnection(q: Queryable, ring: Keyring, tenantId: string, c: NewConnection): Promise<PublicConnection> {
  const r = await q.query<PublicConnection>(
    `insert into connections (tenant_id, kind, name, config, credentials, sync_interval_minutes, status)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7) returning ${columns}`,
    [tenantId, c.kind, c.name, JSON.stringify(c.config), c.credentials ? encryptJson(ring, c.credentials) : null, c.syncIntervalMinutes ?? 15, c.status ?? 'active'],
  );
  return r.rows[0]!;
}

export async function listConnections(q: Queryable, tenantId: string): Promise<PublicConnection[]> {
  return (await q.query<PublicConnection>(`select ${columns} from connections where tenant_id = $1 order by created_at, id`, [tenantId])).rows;
}

export async function getConnection(q: Queryable, tenantId: string, id: string): Promise<PublicConnection | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return (await q.query<PublicConnection>(`select ${columns} from connections where tenant_id = $1 and id = $2`, [tenantId, id])).rows[0];
}

export interface ConnectionPatch {
  name?: string;
  config?: Record<string, unknown>;
  /** Replaces the stored credentials (merged over them: omitted keys keep their value). */
  credentials?: Record<string, unknown>;
  syncIntervalMinutes?: number;
  status?: ConnectionStatus;
}

export async function updateConnection(db: Db, ring: Keyring, tenantId: string, id: string, patch: ConnectionPatch): Promise<PublicConnection | undefined> {
  return inTransaction(db, (tx) => updateConnectionIn(tx, ring, tenantId, id, patch));
}

/** updateConnection inside the caller's transaction (which may do more before committing, e.g. update the schedule). */
export async function updateConnectionIn(tx: Queryable, ring: Keyring, tenantId: string, id: string, patch: ConnectionPatch): Promise<PublicConnection | undefined> {
  const cur = (await tx.query<{ credentials: string | null }>('select credentials from connections where tenant_id = $1 and id = $2 for update', [tenantId, id])).rows[0];
  if (!cur) return undefined;
  const credentials = patch.credentials
    ? encryptJson(ring, { ...(cur.credentials ? decryptJson<Record<string, unknown>>(ring, cur.credentials) : {}), ...patch.credentials })
    : cur.credentials;
  const r = await tx.query<PublicConnection>(
    `update connections set name = coalesce($3, name), config = coalesce($4::jsonb, config), credentials = $5,
       sync_interval_minutes = coalesce($6, sync_interval_minutes), status = coalesce($7, status),
       last_error = case when $5 is distinct from credentials then null else last_error end, updated_at = now()
     where tenant_id = $1 and id = $2 returning ${columns}`,
    [tenantId, id, patch.name ?? null, patch.config ? JSON.stringify(patch.config) : null, credentials, patch.syncIntervalMinutes ?? null, patch.status ?? null],
  );
  return r.rows[0];
}

export async function deleteConnection(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  return ((await q.query('delete from connections where tenant_id = $1 and id = $2', [tenantId, id])).rowCount ?? 0) > 0;
}

/** For activities: the connection with its credentials decrypted. */
export async function loadConnection(
  q: Queryable,
  ring: Keyring,
  connectionId: string,
): Promise<(PublicConnection & { credentials: Record<string, unknown> }) | undefined> {
  const r = await q.query<PublicConnection & { secret: string | null }>(`select ${columns}, credentials as secret from connections where id = $1`, [connectionId]);
  const row = r.rows[0];
  if (!row) return undefined;
  const { secret, ...rest } = row;
  return { ...rest, credentials: secret ? decryptJson(ring, secret) : {} };
}

/** Replaces the credentials (token refresh). Use inside the transaction that locked the row. */
export async function storeCredentials(q: Queryable, ring: Keyring, connectionId: string, credentials: Record<string, unknown>): Promise<void> {
  await q.query('update connections set credentials = $2, updated_at = now() where id = $1', [connectionId, encryptJson(ring, credentials)]);
}

export async function readCursor<T = Record<string, unknown>>(q: Queryable, connectionId: string, stream: string): Promise<T | undefined> {
  const r = await q.query<{ cursor: T }>('select cursor from sync_cursors where connection_id = $1 and stream = $2', [connectionId, stream]);
  return r.rows[0]?.cursor;
}

/** Moves a stream's cursor. Call in the same transaction as the writes of the page it covers. */
export async function writeCursor(q: Queryable, tenantId: string, connectionId: string, stream: string, cursor: Record<string, unknown>): Promise<void> {
  await q.query(
    `insert into sync_cursors (connection_id, tenant_id, stream, cursor) values ($1, $2, $3, $4::jsonb)
     on conflict (connection_id, stream) do update set cursor = excluded.cursor, updated_at = now()`,
    [connectionId, tenantId, stream, JSON.stringify(cursor)],
  );
}

/** Opens the run of a workflow; a retried call returns the same run. */
export async function startSyncRun(
  q: Queryable,
  input: { tenantId: string; connectionId: string; workflowId: string; workflowRunId: string; trigger: SyncRun['trigger'] },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `insert into sync_runs (tenant_id, connection_id, workflow_id, workflow_run_id, trigger) values ($1, $2, $3, $4, $5)
     on conflict (workflow_id, workflow_run_id) do update set trigger = excluded.trigger returning id`,
    [input.tenantId, input.connectionId, input.workflowId, input.workflowRunId, input.trigger],
  );
  return r.rows[0]!.id;
}

const MAX_RECORD_ERRORS = 100;

/** Adds a page's counts (and record errors, progress) to its run. Call in the page's transaction. */
export async function recordRunPage(
  q: Queryable,
  runId: string,
  page: { counts: Partial<SyncCounts>; recordErrors?: { stream: string; externalId: string; reason: string }[]; progress?: SyncProgress },
): Promise<void> {
  const c = addCounts({ fetched: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 }, page.counts);
  await q.query(
    `update sync_runs set
       counts = jsonb_build_object('fetched', (counts->>'fetched')::bigint + $2, 'inserted', (counts->>'inserted')::bigint + $3,
         'updated', (counts->>'updated')::bigint + $4, 'skipped', (counts->>'skipped')::bigint + $5, 'failed', (counts->>'failed')::bigint + $6),
       record_errors = case when jsonb_array_length(record_errors) >= ${MAX_RECORD_ERRORS} then record_errors
                            else record_errors || $7::jsonb end,
       progress = coalesce($8::jsonb, progress)
     where id = $1`,
    [runId, c.fetched, c.inserted, c.updated, c.skipped, c.failed, JSON.stringify((page.recordErrors ?? []).slice(0, MAX_RECORD_ERRORS)), page.progress ? JSON.stringify(page.progress) : null],
  );
}

/** Closes a run and notes the outcome on its connection (an auth failure puts the connection in `error`). */
export async function finishSyncRun(db: Db, runId: string, outcome: { status: 'succeeded' | 'failed'; error?: string; authFailed?: boolean }): Promise<SyncRun | undefined> {
  return inTransaction(db, async (tx) => {
    const run = (
      await tx.query<SyncRun>(
        `update sync_runs set status = $2, error = $3, finished_at = coalesce(finished_at, now()) where id = $1
         returning id, tenant_id as "tenantId", connection_id as "connectionId", workflow_id as "workflowId", workflow_run_id as "workflowRunId", trigger, status, counts, progress, error,
                   record_errors as "recordErrors", started_at as "startedAt", finished_at as "finishedAt"`,
        [runId, outcome.status, outcome.error ?? null],
      )
    ).rows[0];
    if (!run) return undefined;
    if (outcome.status === 'succeeded')
      await tx.query(`update connections set last_sync_at = now(), last_error = null, status = case when status = 'error' then 'active' else status end where id = $1`, [run.connectionId]);
    else
      await tx.query(
        `update connections set last_error = $2, last_error_at = now(), status = case when $3 and status = 'active' then 'error' else status end where id = $1`,
        [run.connectionId, outcome.error ?? 'sync failed', outcome.authFailed ?? false],
      );
    return run;
  });
}

export async function listSyncRuns(q: Queryable, tenantId: string, connectionId: string, limit = 50): Promise<SyncRun[]> {
  const r = await q.query<SyncRun>(
    `select id, tenant_id as "tenantId", connection_id as "connectionId", workflow_id as "workflowId", workflow_run_id as "workflowRunId", trigger, status, counts, progress, error,
            record_errors as "recordErrors", started_at as "startedAt", finished_at as "finishedAt"
     from sync_runs where tenant_id = $1 and connection_id = $2 order by started_at desc limit $3`,
    [tenantId, connectionId, limit],
  );
  return r.rows;
}

export async function getConnectionKind(
  q: Queryable,
  connectionId: string,
): Promise<{ tenantId: string; kind: ConnectionKind; status: ConnectionStatus; config: Record<string, unknown> } | undefined> {
  const r = await q.query<{ tenantId: string; kind: ConnectionKind; status: ConnectionStatus; config: Record<string, unknown> }>(
    'select tenant_id as "tenantId", kind, status, config from connections where id = $1',
    [connectionId],
  );
  return r.rows[0];
}
