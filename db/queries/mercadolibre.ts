// MercadoLibre's rows: OAuth states of the connect flow and notification routing (seller → connections).
// Its notifications wait in the webhook inbox (webhook-inbox.ts).
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
