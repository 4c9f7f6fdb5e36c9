// Reads a connector page needs around its writes: what is stored already (to skip refetching unchanged
// orders and to leave catalog products alone) and the stream cursor, locked for the page's transaction.
import type pg from 'pg';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Stored status of each of these orders (absent: not stored yet). */
export async function storedOrderStatuses(q: Queryable, tenantId: string, source: string, externalIds: readonly string[]): Promise<Map<string, string>> {
  if (!externalIds.length) return new Map();
  const r = await q.query<{ external_id: string; status: string }>(
    'select external_id, status from orders where tenant_id = $1 and source = $2 and external_id = any($3::text[])',
    [tenantId, source, externalIds],
  );
  return new Map(r.rows.map((row) => [row.external_id, row.status]));
}

/** Which of these products are stored already. */
export async function storedProductIds(q: Queryable, tenantId: string, source: string, externalIds: readonly string[]): Promise<Set<string>> {
  if (!externalIds.length) return new Set();
  const r = await q.query<{ external_id: string }>('select external_id from products where tenant_id = $1 and source = $2 and external_id = any($3::text[])', [
    tenantId,
    source,
    externalIds,
  ]);
  return new Set(r.rows.map((row) => row.external_id));
}

/**
 * A stream's cursor, row-locked until the transaction ends: pages committing concurrently (windows fetched in
 * parallel) update it one after another, each seeing the other's progress. Take it last, after the page's
 * upserts, so the lock is held only for the commit.
 */
export async function lockCursor<T = Record<string, unknown>>(tx: pg.PoolClient, connectionId: string, stream: string): Promise<T | undefined> {
  const r = await tx.query<{ cursor: T }>('select cursor from sync_cursors where connection_id = $1 and stream = $2 for update', [connectionId, stream]);
  return r.rows[0]?.cursor;
}

/** The currency a source's orders are in (catalog prices come without one). */
export async function sourceCurrency(q: Queryable, tenantId: string, source: string): Promise<string | undefined> {
  const r = await q.query<{ currency: string }>('select currency from orders where tenant_id = $1 and source = $2 order by placed_at desc limit 1', [tenantId, source]);
  return r.rows[0]?.currency;
}
