// MercadoLibre's rows: OAuth states of the connect flow, notification routing (seller → connections) and the
// webhook inbox its notifications wait in until a workflow fetches the orders they name.
import type pg from 'pg';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

// ---------------------------------------------------------------------------------------------------------------
// OAuth states

export async function createOAuthState(q: Queryable, input: { state: string; tenantId: string; connectionId: string }): Promise<void> {
  // Abandoned flows leave states behind; clear the old ones whenever a new one starts.
  await q.query(`delete from oauth_states where created_at < now() - interval '1 day'`);
  await q.query('insert into oauth_states (state, tenant_id, connection_id) values ($1, $2, $3)', [input.state, input.tenantId, input.connectionId]);
}

/** Takes a state (single use: it is deleted whether it is still valid or not). */
export async function consumeOAuthState(q: Queryable, state: string): Promise<{ tenantId: string; connectionId: string; ageMs: number } | undefined> {
  const r = await q.query<{ tenantId: string; connectionId: string; ageMs: number }>(
    `delete from oauth_states where state = $1
     returning tenant_id as "tenantId", connection_id as "connectionId", (extract(epoch from now() - created_at) * 1000)::float8 as "ageMs"`,
    [state],
  );
  return r.rows[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Notification routing

export interface SellerConnection {
  id: string;
  tenantId: string;
  status: string;
}

/** The MercadoLibre connections of a seller under one application (several tenants may share a seller). */
export async function findSellerConnections(q: Queryable, sellerId: string, clientId: string): Promise<SellerConnection[]> {
  const r = await q.query<SellerConnection>(
    `select id, tenant_id as "tenantId", status from connections
     where kind = 'mercadolibre' and config->>'sellerId' = $1 and config->>'clientId' = $2`,
    [sellerId, clientId],
  );
  return r.rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Inbox

export interface InboxEntry {
  tenantId: string;
  connectionId: string;
  eventId: string;
  topic: string;
  resource: string;
  payload: Record<string, unknown>;
}

/**
 * Stores notifications, one row per (connection, event id). A repeat of a notification already processed is
 * dropped; a newer one (another `sent`) for the same resource puts the row back in the queue, so a later change
 * to an order is never lost to the dedupe. A pending row gets a new received_at: if a drain is fetching it right
 * now (possibly before the change), its "processed" mark no longer applies and the row is fetched again.
 * Returns how many rows were queued or refreshed.
 */
export async function enqueueNotifications(q: Queryable, entries: readonly InboxEntry[]): Promise<number> {
  if (!entries.length) return 0;
  const col = <T>(f: (e: InboxEntry) => T) => entries.map(f);
  const r = await q.query(
    `insert into webhook_inbox (tenant_id, connection_id, event_id, topic, resource, payload)
     select t, c, e, tp, rs, p::jsonb from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) as x(t, c, e, tp, rs, p)
     on conflict (connection_id, event_id) do update set payload = excluded.payload, received_at = clock_timestamp(), processed_at = null, error = null
     where webhook_inbox.processed_at is null or webhook_inbox.payload->>'sent' is distinct from excluded.payload->>'sent'`,
    [col((e) => e.tenantId), col((e) => e.connectionId), col((e) => e.eventId), col((e) => e.topic), col((e) => e.resource), col((e) => JSON.stringify(e.payload))],
  );
  return r.rowCount ?? 0;
}

export interface PendingNotification {
  id: number;
  topic: string;
  resource: string | null;
  /** As text, with PostgreSQL's microseconds: the "not re-queued meanwhile" check compares it exactly. */
  receivedAt: string;
}

export async function pendingNotifications(q: Queryable, connectionId: string, limit: number): Promise<PendingNotification[]> {
  const r = await q.query<PendingNotification>(
    `select id, topic, resource, received_at::text as "receivedAt" from webhook_inbox
     where connection_id = $1 and processed_at is null order by id limit $2`,
    [connectionId, limit],
  );
  return r.rows;
}

/** Marks rows done, unless a newer notification re-queued one while it was being processed. */
export async function markNotificationsProcessed(q: Queryable, done: readonly { id: number; receivedAt: string; error?: string }[]): Promise<number> {
  if (!done.length) return 0;
  const r = await q.query(
    `update webhook_inbox w set processed_at = now(), error = x.err
     from unnest($1::bigint[], $2::text[], $3::text[]) as x(id, rec, err)
     where w.id = x.id and w.received_at = x.rec::timestamptz and w.processed_at is null`,
    [done.map((d) => d.id), done.map((d) => d.receivedAt), done.map((d) => d.error ?? null)],
  );
  return r.rowCount ?? 0;
}

export async function countPendingNotifications(q: Queryable, connectionId: string): Promise<number> {
  const r = await q.query<{ n: number }>('select count(*)::int as n from webhook_inbox where connection_id = $1 and processed_at is null', [connectionId]);
  return r.rows[0]!.n;
}
