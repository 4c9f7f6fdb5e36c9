// Per-channel consent and the suppression list. Consent belongs to a customer; suppression to an address (it
// survives merges, re-imports and new customers with the same address).
import type pg from 'pg';
import type { MessageChannel } from '../schema/messaging.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface Consent {
  channel: MessageChannel;
  status: 'granted' | 'revoked';
  source: string;
  updatedAt: Date;
}

export async function getConsents(q: Queryable, tenantId: string, customerId: string): Promise<Consent[]> {
  const r = await q.query<Consent>(
    `select channel, status, source, updated_at as "updatedAt" from customer_consents where tenant_id = $1 and customer_id = $2 order by channel`,
    [tenantId, customerId],
  );
  return r.rows;
}

/** Upserts consents; a decision identical to the stored one keeps its timestamp and source. */
export async function setConsents(q: Queryable, tenantId: string, customerId: string, consents: readonly { channel: MessageChannel; status: 'granted' | 'revoked' }[], source: string): Promise<void> {
  for (const c of consents) {
    await q.query(
      `insert into customer_consents (tenant_id, customer_id, channel, status, source) values ($1, $2, $3, $4, $5)
       on conflict (customer_id, channel) do update set status = excluded.status, source = excluded.source, updated_at = now()
       where customer_consents.status is distinct from excluded.status`,
      [tenantId, customerId, c.channel, c.status, source],
    );
  }
}

export interface Suppression {
  channel: MessageChannel;
  address: string;
  reason: 'unsubscribe' | 'hard_bounce' | 'complaint' | 'manual';
  createdAt: Date;
}

/** Idempotent: an address already suppressed keeps its first reason. */
export async function addSuppression(q: Queryable, tenantId: string, s: Omit<Suppression, 'createdAt'>): Promise<boolean> {
  const r = await q.query(`insert into suppressions (tenant_id, channel, address, reason) values ($1, $2, $3, $4) on conflict do nothing`, [tenantId, s.channel, s.address, s.reason]);
  return (r.rowCount ?? 0) > 0;
}

export async function removeSuppression(q: Queryable, tenantId: string, channel: MessageChannel, address: string): Promise<boolean> {
  const r = await q.query(`delete from suppressions where tenant_id = $1 and channel = $2 and address = $3`, [tenantId, channel, address]);
  return (r.rowCount ?? 0) > 0;
}

export async function getSuppression(q: Queryable, tenantId: string, channel: MessageChannel, address: string): Promise<Suppression | undefined> {
  const r = await q.query<Suppression>(
    `select channel, address, reason, created_at as "createdAt" from suppressions where tenant_id = $1 and channel = $2 and address = $3`,
    [tenantId, channel, address],
  );
  return r.rows[0];
}

export async function listSuppressions(q: Queryable, tenantId: string, opts: { channel?: MessageChannel; address?: string; limit?: number; before?: string } = {}): Promise<Suppression[]> {
  const r = await q.query<Suppression>(
    `select channel, address, reason, created_at as "createdAt" from suppressions
     where tenant_id = $1 and ($2::text is null or channel = $2) and ($3::text is null or address = $3) and ($5::text is null or address > $5)
     order by address, channel limit $4`,
    [tenantId, opts.channel ?? null, opts.address ?? null, Math.min(opts.limit ?? 100, 1000), opts.before ?? null],
  );
  return r.rows;
}
