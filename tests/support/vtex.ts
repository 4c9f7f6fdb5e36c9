// A fake VTEX store wired to a tenant's connection, and what the database holds compared with the store.
import type { Db } from '#db/client.ts';
import { createConnection } from '#db/queries/connections.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { FakeVtex } from '../fakes/vtex.ts';
import { VtexDataset } from '../fakes/vtex-data.ts';
import { seedTenant } from './tenants.ts';

export const DAY = 86_400_000;

/** A store with orders spread over the last `days` days (ending a day ago), plus an optional Hot Sale spike. */
export async function vtexStore(
  db: Db,
  opts: { seed: number; orders: number; days: number; spike?: number; customers?: number; appToken?: string; config?: Record<string, unknown> },
) {
  const data = new VtexDataset({ seed: opts.seed, customers: opts.customers ?? 800, products: 80 });
  const now = Date.now();
  const from = now - opts.days * DAY;
  data.addOrders(opts.orders, { from, to: now - DAY, spike: opts.spike ? { at: now - 40 * DAY, spanMs: DAY, count: opts.spike } : undefined });
  const fake = new FakeVtex({ data });
  await fake.start();
  const { tenant } = await seedTenant(db, 'vtex');
  const connection = await createConnection(db.$client, credentialsKeyring(), tenant.id, {
    kind: 'vtex',
    name: `VTEX ${opts.seed}`,
    config: { account: fake.account, baseUrl: fake.url, backfillFrom: new Date(from - DAY).toISOString(), ...opts.config },
    credentials: { appKey: fake.appKey, appToken: opts.appToken ?? fake.appToken },
  });
  return { data, fake, tenantId: tenant.id, connectionId: connection.id };
}

/** Orders and items the database holds for a tenant. */
export async function storedOrders(db: Db, tenantId: string) {
  const q = async (sql: string) => (await db.$client.query(sql, [tenantId])).rows[0];
  const o = await q(
    `select count(*)::int as n, count(distinct external_id)::int as distinct_ids, coalesce(sum(total_minor), 0)::bigint as total from orders where tenant_id = $1`,
  );
  const i = await q('select count(*)::int as n, coalesce(sum(total_minor), 0)::bigint as total from order_items where tenant_id = $1');
  return { orders: o.n as number, distinctOrders: o.distinct_ids as number, orderTotal: Number(o.total), items: i.n as number, itemTotal: Number(i.total) };
}

/** The same figures, from the fake store. */
export function storeTruth(data: VtexDataset) {
  let orderTotal = 0;
  let items = 0;
  let itemTotal = 0;
  for (const o of data.orders) {
    const t = data.totals(o);
    orderTotal += t.value;
    items += o.items.length;
    itemTotal += t.items + t.discounts;
  }
  return { orders: data.orders.length, distinctOrders: data.orders.length, orderTotal, items, itemTotal };
}
