// Inbound webhook notifications: stored (deduplicated) before they are answered, drained by a workflow.
import type pg from 'pg';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface InboxNotification {
  /** The provider's id for the notification, or one derived from its content; a duplicate is dropped. */
  eventId: string;
  topic: string;
  resource?: string;
  payload: Record<string, unknown>;
}

/** Stores a notification; false when the same event was received before. */
export async function storeNotification(q: Queryable, tenantId: string, connectionId: string, n: InboxNotification): Promise<boolean> {
  const r = await q.query(
    `insert into webhook_inbox (tenant_id, connection_id, event_id, topic, resource, payload) values ($1, $2, $3, $4, $5, $6::jsonb)
     on conflict (connection_id, event_id) do nothing`,
    [tenantId, connectionId, n.eventId, n.topic, n.resource ?? null, JSON.stringify(n.payload)],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Marks notifications processed (in the transaction that applied them), with the reason when one failed. */
export async function markProcessed(q: Queryable, ids: readonly number[], errors: ReadonlyMap<number, string> = new Map()): Promise<void> {
  if (!ids.length) return;
  await q.query(
    `update webhook_inbox w set processed_at = now(), error = e.reason
     from unnest($1::bigint[], $2::text[]) as e(id, reason) where w.id = e.id and w.processed_at is null`,
    [ids, ids.map((id) => errors.get(id) ?? null)],
  );
}

// Re-queueing inbox (MercadoLibre): a newer notification for the same resource is processed again.

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

/** The oldest unprocessed notifications of a connection (one drain workflow per connection reads them). */
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
