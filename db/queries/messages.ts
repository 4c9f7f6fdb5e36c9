// The message log: claiming a send by its idempotency key, outcomes, engagement events and the aggregates the
// customer page and the journey canvas read.
import type pg from 'pg';
import type { MessageChannel } from '../schema/messaging.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export type MessageStatus = 'sending' | 'sent' | 'failed' | 'suppressed' | 'skipped';
export type MessageEventKind = 'delivered' | 'open' | 'click' | 'unsubscribe' | 'bounce' | 'complaint';

export interface MessageRow {
  id: string;
  tenantId: string;
  customerId: string | null;
  channel: MessageChannel;
  templateId: string | null;
  transactional: boolean;
  journeyId: string | null;
  nodeId: string | null;
  toAddress: string | null;
  subject: string | null;
  status: MessageStatus;
  skipReason: string | null;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  bouncedAt: Date | null;
  unsubscribedAt: Date | null;
}

const columnsOf = (p: string) => `${p}id, ${p}tenant_id as "tenantId", ${p}customer_id as "customerId", ${p}channel, ${p}template_id as "templateId",
  ${p}transactional, ${p}journey_id as "journeyId", ${p}node_id as "nodeId", ${p}to_address as "toAddress", ${p}subject, ${p}status,
  ${p}skip_reason as "skipReason", ${p}error, ${p}created_at as "createdAt", ${p}sent_at as "sentAt", ${p}opened_at as "openedAt",
  ${p}clicked_at as "clickedAt", ${p}bounced_at as "bouncedAt", ${p}unsubscribed_at as "unsubscribedAt"`;
const columns = columnsOf('');

export interface NewMessage {
  id: string;
  tenantId: string;
  customerId: string | null;
  channel: MessageChannel;
  templateId: string | null;
  transactional: boolean;
  journeyId?: string | null;
  journeyVersion?: number | null;
  nodeId?: string | null;
  entryId?: string | null;
}

/**
 * Serialises sends to one customer (frequency caps count then claim atomically). Call inside a transaction; the
 * lock is released at commit.
 */
export async function lockCustomerSends(tx: Queryable, tenantId: string, customerId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [tenantId, customerId]);
}

/**
 * How long a `sending` row with no recorded error counts as in flight (another attempt is talking to the provider).
 * After it, the attempt is presumed dead (a worker crash) and the row may be claimed again.
 */
export const IN_FLIGHT_LEASE_SECONDS = 300;

export type Claim = { kind: 'new' } | { kind: 'retry'; previous: { status: MessageStatus; skipReason: string | null; error: string | null } } | { kind: 'done'; existing: MessageRow };

/**
 * Claims the row of a message id. New → `new`. A row whose earlier attempt did not finish (still `sending` with a
 * transient provider error recorded, or past the in-flight lease after a crash) or that was held by a frequency cap
 * is claimed again → `retry`. Any other row → `done`: a finished outcome (nothing must be sent), or `sending`
 * while another attempt is in flight.
 */
export async function claimMessage(tx: Queryable, m: NewMessage): Promise<Claim> {
  const r = await tx.query<{ inserted: boolean; status: MessageStatus; skipReason: string | null; error: string | null }>(
    `with prev as (select status, skip_reason, error from messages where id = $1)
     insert into messages (id, tenant_id, customer_id, channel, template_id, transactional, journey_id, journey_version, node_id, entry_id, status)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'sending')
     on conflict (id) do update set status = 'sending', skip_reason = null, error = null
       where messages.tenant_id = excluded.tenant_id
         and ((messages.status = 'sending' and (messages.error is not null or messages.created_at < now() - make_interval(secs => $11)))
              or (messages.status = 'skipped' and messages.skip_reason = 'capped'))
     returning (xmax = 0) as inserted, (select status from prev) as status, (select skip_reason from prev) as "skipReason", (select error from prev) as error`,
    [m.id, m.tenantId, m.customerId, m.channel, m.templateId, m.transactional, m.journeyId ?? null, m.journeyVersion ?? null, m.nodeId ?? null, m.entryId ?? null, IN_FLIGHT_LEASE_SECONDS],
  );
  const row = r.rows[0];
  if (row?.inserted) return { kind: 'new' };
  if (row) return { kind: 'retry', previous: { status: row.status, skipReason: row.skipReason, error: row.error } };
  const existing = await getMessage(tx, m.id);
  if (!existing || existing.tenantId !== m.tenantId) throw new Error(`Message id ${m.id} belongs to another tenant.`);
  return { kind: 'done', existing };
}

export async function getMessage(q: Queryable, id: string): Promise<MessageRow | undefined> {
  return (await q.query<MessageRow>(`select ${columns} from messages where id = $1`, [id])).rows[0];
}

export async function markSkipped(q: Queryable, id: string, status: 'skipped' | 'suppressed', reason: string, detail?: { toAddress?: string; error?: string }): Promise<void> {
  await q.query(`update messages set status = $2, skip_reason = $3, to_address = coalesce($4, to_address), error = $5 where id = $1`, [id, status, reason, detail?.toAddress ?? null, detail?.error ?? null]);
}

/** The provider call is about to happen: what goes out, for the log. */
export async function markAddressed(q: Queryable, id: string, toAddress: string, subject: string | null): Promise<void> {
  await q.query(`update messages set to_address = $2, subject = $3 where id = $1`, [id, toAddress, subject]);
}

export async function markSent(q: Queryable, id: string, providerMessageId: string | null, at: Date): Promise<void> {
  await q.query(`update messages set status = 'sent', provider_message_id = $2, sent_at = $3, error = null where id = $1`, [id, providerMessageId, at]);
}

/** A transient failure: the row stays `sending` (the retry claims it again); the error is kept for the log. */
export async function noteAttemptError(q: Queryable, id: string, error: string): Promise<void> {
  await q.query(`update messages set error = $2 where id = $1`, [id, error.slice(0, 2000)]);
}

/** A permanent refusal (SMTP 5xx): failed + a bounce event, in one statement pair the caller wraps in a transaction. */
export async function markBounced(q: Queryable, tenantId: string, id: string, error: string, detail: Record<string, unknown>, at: Date): Promise<void> {
  await q.query(`update messages set status = 'failed', error = $2, bounced_at = $3 where id = $1`, [id, error.slice(0, 2000), at]);
  await recordMessageEvent(q, tenantId, id, 'bounce', { detail, at });
}

export async function recordMessageEvent(q: Queryable, tenantId: string, messageId: string, kind: MessageEventKind, opts: { url?: string; detail?: Record<string, unknown>; at?: Date } = {}): Promise<void> {
  await q.query(`insert into message_events (tenant_id, message_id, kind, url, detail, at) values ($1, $2, $3, $4, $5::jsonb, coalesce($6, now()))`, [
    tenantId,
    messageId,
    kind,
    opts.url ?? null,
    opts.detail ? JSON.stringify(opts.detail) : null,
    opts.at ?? null,
  ]);
}

/**
 * An open or a click from a tracking link: always an event; the first one sets the timestamp. A click also counts
 * as an open when none was seen (images blocked), as mail analytics usually do.
 */
export async function recordEngagement(q: Queryable, tenantId: string, messageId: string, kind: 'open' | 'click', opts: { url?: string; detail?: Record<string, unknown> } = {}): Promise<boolean> {
  const r = await q.query(
    kind === 'open'
      ? `update messages set opened_at = coalesce(opened_at, now()) where id = $1 and tenant_id = $2`
      : `update messages set clicked_at = coalesce(clicked_at, now()), opened_at = coalesce(opened_at, now()) where id = $1 and tenant_id = $2`,
    [messageId, tenantId],
  );
  if (!r.rowCount) return false;
  await recordMessageEvent(q, tenantId, messageId, kind, opts);
  return true;
}

/** Marketing sends to a customer since `since` (sent, or claimed and in flight), for frequency caps. */
export async function recentSends(q: Queryable, tenantId: string, customerId: string, since: Date, excludeId: string): Promise<{ at: Date; channel: MessageChannel; transactional: boolean }[]> {
  const r = await q.query<{ at: Date; channel: MessageChannel; transactional: boolean }>(
    `select coalesce(sent_at, created_at) as at, channel, transactional from messages
     where tenant_id = $1 and customer_id = $2 and created_at > $3 and status in ('sent', 'sending') and not transactional and id <> $4`,
    [tenantId, customerId, since, excludeId],
  );
  return r.rows;
}

export interface LoggedMessage extends MessageRow {
  templateName: string | null;
  events: { kind: MessageEventKind; url: string | null; at: Date }[];
}

/** A customer's message log, newest first, with each message's events. */
export async function messagesForCustomer(q: Queryable, tenantId: string, customerId: string, opts: { limit?: number; before?: Date } = {}): Promise<LoggedMessage[]> {
  const r = await q.query<LoggedMessage>(
    `select ${columnsOf('m.')}, t.name as "templateName",
       coalesce((select json_agg(json_build_object('kind', e.kind, 'url', e.url, 'at', e.at) order by e.at, e.id)
                 from (select * from message_events e where e.message_id = m.id order by e.at, e.id limit 50) e), '[]'::json) as events
     from messages m left join message_templates t on t.id = m.template_id
     where m.tenant_id = $1 and m.customer_id = $2 and ($4::timestamptz is null or m.created_at < $4)
     order by m.created_at desc, m.id limit $3`,
    [tenantId, customerId, Math.min(opts.limit ?? 50, 200), opts.before ?? null],
  );
  return r.rows;
}

export interface NodeMessageStats {
  nodeId: string;
  sent: number;
  /** Accepted by the receiving SMTP server and not bounced since (plain SMTP gives no later delivery receipts). */
  delivered: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  failed: number;
  skipped: Record<string, number>;
}

/** Per journey node: what its sends did. The canvas reads these. */
export async function messageStatsByNode(q: Queryable, tenantId: string, journeyId: string): Promise<NodeMessageStats[]> {
  const r = await q.query<NodeMessageStats>(
    `with m as (select * from messages where tenant_id = $1 and journey_id = $2 and node_id is not null),
     skips as (select node_id, jsonb_object_agg(reason, n) as skipped
               from (select node_id, coalesce(skip_reason, status) as reason, count(*)::int as n from m where status in ('skipped', 'suppressed') group by 1, 2) s group by node_id)
     select m.node_id as "nodeId",
       count(*) filter (where status = 'sent')::int as sent,
       count(*) filter (where status = 'sent' and bounced_at is null)::int as delivered,
       count(*) filter (where opened_at is not null)::int as opened,
       count(*) filter (where clicked_at is not null)::int as clicked,
       count(*) filter (where unsubscribed_at is not null)::int as unsubscribed,
       count(*) filter (where status = 'failed')::int as failed,
       coalesce((select skipped from skips where skips.node_id = m.node_id), '{}'::jsonb) as skipped
     from m group by m.node_id order by m.node_id`,
    [tenantId, journeyId],
  );
  return r.rows;
}
