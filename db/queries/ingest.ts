// The write path for raw data: batched, set-based, idempotent.
import type { EventMessage } from '#core/ingest/events.ts';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import { traitsToProfile } from '#core/ingest/traits.ts';
import type pg from 'pg';
import type { Db } from '../client.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** One INSERT for the whole batch; a messageId seen before (or twice in the batch) is skipped. */
export async function insertEvents(q: Queryable, tenantId: string, batch: readonly EventMessage[], receivedAt: Date) {
  const cols: (string | null)[][] = Array.from({ length: 10 }, () => new Array<string | null>(batch.length));
  const received = receivedAt.toISOString();
  batch.forEach((m, i) => {
    cols[0]![i] = m.messageId;
    cols[1]![i] = m.type;
    cols[2]![i] = m.type === 'track' ? m.event : null;
    cols[3]![i] = m.userId ?? null;
    cols[4]![i] = m.anonymousId ?? null;
    cols[5]![i] = m.type === 'track' ? json(m.properties) : null;
    cols[6]![i] = m.type === 'identify' ? json(m.traits) : null;
    cols[7]![i] = json(m.context);
    cols[8]![i] = m.timestamp ?? m.originalTimestamp ?? received;
    cols[9]![i] = m.sentAt ?? null;
  });
  const r = await q.query(
    `insert into events (tenant_id, message_id, type, event, user_id, anonymous_id, properties, traits, context, "timestamp", sent_at, received_at)
     select $1::uuid, m, t, e, u, a, p::jsonb, tr::jsonb, c::jsonb, ts::timestamptz, sa::timestamptz, $12::timestamptz
     from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       as x(m, t, e, u, a, p, tr, c, ts, sa)
     on conflict (tenant_id, message_id) do nothing`,
    [tenantId, ...cols, received],
  );
  const inserted = r.rowCount ?? 0;
  return { received: batch.length, inserted, duplicates: batch.length - inserted };
}

const profileColumns = ['email', 'dni', 'cuit', 'phone', 'first_name', 'last_name', 'birth_date', 'address', 'attributes'] as const;

/**
 * Upserts on (tenant, source, externalId). A resent identical record changes nothing (and is not
 * re-queued for resolution); a changed one is updated and queued. `merge` keeps fields the new record
 * omits (identify traits arrive piecemeal); otherwise the record replaces what the source said before.
 */
export async function upsertProfiles(
  q: Queryable,
  tenantId: string,
  source: string,
  records: readonly ProfileRecord[],
  opts: { merge?: boolean } = {},
) {
  const n = records.length;
  const c = (f: (r: ProfileRecord) => string | null | undefined) => records.map((r) => f(r) ?? null);
  const params = [
    tenantId,
    source,
    c((r) => r.externalId),
    c((r) => r.email),
    c((r) => r.dni),
    c((r) => r.cuit),
    c((r) => r.phone),
    c((r) => r.firstName),
    c((r) => r.lastName),
    c((r) => r.birthDate),
    c((r) => json(r.address)),
    c((r) => json(r.attributes ?? {})),
  ];
  const set = opts.merge
    ? profileColumns.map((col) =>
        col === 'attributes' ? `attributes = source_profiles.attributes || excluded.attributes` : `${col} = coalesce(excluded.${col}, source_profiles.${col})`,
      )
    : profileColumns.map((col) => `${col} = excluded.${col}`);
  const newValues = opts.merge
    ? profileColumns.map((col) => (col === 'attributes' ? 'source_profiles.attributes || excluded.attributes' : `coalesce(excluded.${col}, source_profiles.${col})`))
    : profileColumns.map((col) => `excluded.${col}`);
  const r = await q.query<{ inserted: boolean }>(
    `insert into source_profiles (tenant_id, source, external_id, email, dni, cuit, phone, first_name, last_name, birth_date, address, attributes)
     select $1::uuid, $2, x, em, d, cu, ph, fn, ln, bd::date, ad::jsonb, at::jsonb
     from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
       as t(x, em, d, cu, ph, fn, ln, bd, ad, at)
     on conflict (tenant_id, source, external_id) do update set
       ${set.join(',\n       ')},
       pending_resolution = true,
       updated_at = now()
     where (${profileColumns.map((col) => `source_profiles.${col}`).join(', ')})
       is distinct from (${newValues.join(', ')})
     returning (xmax = 0) as inserted`,
    params,
  );
  const inserted = r.rows.filter((row) => row.inserted).length;
  return { received: n, inserted, updated: r.rows.length - inserted, unchanged: n - r.rows.length };
}

/** Folds pending identify events into profiles of the source "events" (external id = userId, or anonymous:<id>). */
export async function foldIdentifyEvents(db: Db, tenantId: string, limit: number): Promise<number> {
  return db.$client.connect().then(async (client) => {
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: number; ext: string; traits: Record<string, unknown> | null }>(
        `select id, coalesce(user_id, 'anonymous:' || anonymous_id) as ext, traits
         from events where tenant_id = $1 and type = 'identify' and not processed
         order by id limit $2 for update skip locked`,
        [tenantId, limit],
      );
      if (rows.length) {
        // Later identifies of the same user win field by field: merge traits in arrival order.
        const merged = new Map<string, Record<string, unknown>>();
        for (const row of rows) merged.set(row.ext, { ...merged.get(row.ext), ...row.traits });
        const records = [...merged].map(([ext, traits]) => traitsToProfile(ext, traits));
        await upsertProfiles(client, tenantId, 'events', records, { merge: true });
        await client.query('update events set processed = true where id = any($1::bigint[])', [rows.map((r) => r.id)]);
      }
      await client.query('commit');
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  });
}

/** Tenants with work waiting, for the sweeper that catches anything a lost signal missed. */
export async function tenantsWithPendingWork(db: Db): Promise<string[]> {
  const r = await db.$client.query<{ tenant_id: string }>(
    `select distinct tenant_id from source_profiles where pending_resolution
     union select distinct tenant_id from events where type = 'identify' and not processed`,
  );
  return r.rows.map((row) => row.tenant_id);
}
