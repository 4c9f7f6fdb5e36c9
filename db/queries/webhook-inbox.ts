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

/** The oldest unprocessed notifications of a connection (one drain workflow per connection reads them). */
export async function pendingNotifications(q: Queryable, connectionId: string, limit: number): Promise<{ id: number; topic: string; resource: string | null }[]> {
  const r = await q.query<{ id: number; topic: string; resource: string | null }>(
    'select id, topic, resource from webhook_inbox where connection_id = $1 and processed_at is null order by id limit $2',
    [connectionId, limit],
  );
  return r.rows;
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
