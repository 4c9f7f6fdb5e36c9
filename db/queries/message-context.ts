// What a message's Liquid context needs from the database: the tenant, the customer's golden record, scores and
// product recommendations (the customer's scored recommendations, then co-purchase neighbours of what they
// bought recently, never what they already bought).
import type pg from 'pg';
import type { ContextCustomer, ContextProduct, ContextScores } from '#core/messaging/context.ts';
import { readTenantSettings, type ResolvedTenantSettings } from '#core/tenants/settings.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface MessagingTenant {
  id: string;
  name: string;
  currency: string;
  defaultCountry: string;
  timezone: string;
  settings: ResolvedTenantSettings;
}

export async function loadMessagingTenant(q: Queryable, tenantId: string): Promise<MessagingTenant | undefined> {
  const r = await q.query<Omit<MessagingTenant, 'settings'> & { settings: unknown }>(
    `select id, name, currency, default_country as "defaultCountry", timezone, settings from tenants where id = $1`,
    [tenantId],
  );
  const t = r.rows[0];
  return t ? { ...t, settings: readTenantSettings(t.settings) } : undefined;
}

export async function loadContextCustomer(q: Queryable, tenantId: string, customerId: string): Promise<ContextCustomer | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(customerId)) return undefined;
  const r = await q.query<ContextCustomer>(
    `select id, first_name as "firstName", last_name as "lastName", email, phone, birth_date as "birthDate", address, attributes
     from customers where tenant_id = $1 and id = $2`,
    [tenantId, customerId],
  );
  return r.rows[0];
}

export async function loadContextScores(q: Queryable, tenantId: string, customerId: string): Promise<ContextScores | undefined> {
  const r = await q.query<ContextScores>(
    `select rfm_segment as "rfmSegment", lifecycle_state as "lifecycleState", clv1y_minor as "clv1yMinor", clv3y_minor as "clv3yMinor",
       clv5y_minor as "clv5yMinor", churn_risk as "churnRisk", currency
     from customer_scores where tenant_id = $1 and customer_id = $2`,
    [tenantId, customerId],
  );
  return r.rows[0];
}

export async function loadRecommendations(q: Queryable, tenantId: string, customerId: string, limit = 4): Promise<ContextProduct[]> {
  const r = await q.query<ContextProduct>(
    `with bought as (
       select oi.product_id, max(o.placed_at) as at from order_items oi join orders o on o.id = oi.order_id
       where o.tenant_id = $1 and o.customer_id = $2 and oi.product_id is not null group by oi.product_id),
     scored as (
       select (rec->>'productId')::uuid as pid, 0 as src, ord::int as k
       from customer_scores cs, jsonb_array_elements(cs.recommendations) with ordinality as x(rec, ord)
       where cs.tenant_id = $1 and cs.customer_id = $2 and rec->>'productId' ~* '^[0-9a-f-]{36}$'),
     neighbours as (
       select pn.neighbour_id as pid, 1 as src, min(pn.rank)::int as k
       from product_neighbours pn join (select product_id from bought order by at desc limit 5) recent on recent.product_id = pn.product_id
       where pn.tenant_id = $1 group by pn.neighbour_id),
     candidates as (
       select distinct on (pid) pid, src, k from (select * from scored union all select * from neighbours) c
       where pid not in (select product_id from bought) order by pid, src, k)
     select p.id as "productId", p.name, p.url, p.image_url as "imageUrl", p.price_minor as "priceMinor", p.currency
     from candidates c join products p on p.id = c.pid and p.tenant_id = $1
     order by c.src, c.k, p.id limit $3`,
    [tenantId, customerId, limit],
  );
  return r.rows;
}

export async function loadConsentStatus(q: Queryable, tenantId: string, customerId: string, channel: string): Promise<'granted' | 'revoked' | undefined> {
  const r = await q.query<{ status: 'granted' | 'revoked' }>(`select status from customer_consents where tenant_id = $1 and customer_id = $2 and channel = $3`, [tenantId, customerId, channel]);
  return r.rows[0]?.status;
}
