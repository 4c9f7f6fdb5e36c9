// Reads a connector page needs around its writes: what is stored already (to skip refetching unchanged
// orders and to leave catalog products alone) and the stream cursor, locked for the page's transaction.
import type pg from 'pg';
import type { ProfileRecord } from '#core/ingest/profiles.ts';

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

/**
 * The profiles of a batch that a merge upsert (upsertProfiles with `merge`) would change, read without locks.
 * Repeat buyers appear on many pages written concurrently: upserting their unchanged rows would lock them and
 * make those pages commit one after another. Same comparison as the upsert's (coalesce per column, attributes ||).
 */
export async function profilesToWrite<T extends ProfileRecord>(q: Queryable, tenantId: string, source: string, records: readonly T[]): Promise<T[]> {
  if (!records.length) return [];
  const c = (f: (r: T) => string | null | undefined) => records.map((r) => f(r) ?? null);
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const r = await q.query<{ x: string }>(
    // The stored rows are picked by `= any(…)` so the unique index is used whatever the planner thinks of unnest.
    `with sp as (select * from source_profiles where tenant_id = $1 and source = $2 and external_id = any($3::text[]))
     select t.x from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
       as t(x, em, d, cu, ph, fn, ln, bd, ad, at)
     left join sp on sp.external_id = t.x
     where sp.id is null
        or (sp.email, sp.dni, sp.cuit, sp.phone, sp.first_name, sp.last_name, sp.birth_date, sp.address, sp.attributes)
           is distinct from (coalesce(t.em, sp.email), coalesce(t.d, sp.dni), coalesce(t.cu, sp.cuit), coalesce(t.ph, sp.phone),
                             coalesce(t.fn, sp.first_name), coalesce(t.ln, sp.last_name), coalesce(t.bd::date, sp.birth_date),
                             coalesce(t.ad::jsonb, sp.address), sp.attributes || coalesce(t.at::jsonb, '{}'::jsonb))`,
    [
      tenantId,
      source,
      c((p) => p.externalId),
      c((p) => p.email),
      c((p) => p.dni),
      c((p) => p.cuit),
      c((p) => p.phone),
      c((p) => p.firstName),
      c((p) => p.lastName),
      c((p) => p.birthDate),
      c((p) => json(p.address)),
      c((p) => json(p.attributes ?? {})),
    ],
  );
  const keep = new Set(r.rows.map((row) => row.x));
  return records.filter((p) => keep.has(p.externalId));
}
