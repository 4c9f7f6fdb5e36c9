// Small scoring tenants built straight in SQL: customers, orders (with status) and order lines with categories.
import type { Db } from '#db/client.ts';

export interface TestOrder {
  customer: number;
  /** ISO date-time. */
  at: string;
  totalMinor: number;
  status?: string;
  /** Product keys bought in the order (products are created on first use, category = key's prefix before ':'). */
  items?: string[];
}

export interface ScoringFixture {
  customerIds: string[];
  productIds: Map<string, string>;
}

/** Creates `customers` customers and the given orders for a tenant; ids are returned in creation order. */
export async function seedScoringData(db: Db, tenantId: string, customers: number, orders: TestOrder[], createdAt = '2020-01-01T00:00:00Z'): Promise<ScoringFixture> {
  const c = db.$client;
  const ids = (
    await c.query<{ id: string }>(
      `insert into customers (tenant_id, email, created_at) select $1, 'c' || g || '@example.com', $3::timestamptz from generate_series(1, $2) g returning id`,
      [tenantId, customers, createdAt],
    )
  ).rows.map((r) => r.id);
  const productIds = new Map<string, string>();
  const keys = [...new Set(orders.flatMap((o) => o.items ?? []))];
  if (keys.length) {
    const r = await c.query<{ id: string; external_id: string }>(
      `insert into products (tenant_id, source, external_id, name, category)
       select $1, 'test', k, 'Product ' || k, split_part(k, ':', 1) from unnest($2::text[]) k returning id, external_id`,
      [tenantId, keys],
    );
    for (const p of r.rows) productIds.set(p.external_id, p.id);
  }
  const rows = orders.map((o, i) => ({ ext: `o${i}`, customer: ids[o.customer]!, at: o.at, total: o.totalMinor, status: o.status ?? 'invoiced' }));
  const inserted = await c.query<{ id: string; external_id: string }>(
    `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at)
     select $1, 'test', x.ext, x.customer, x.status, 'ARS', x.total, x.at from jsonb_to_recordset($2::jsonb) as x(ext text, customer uuid, at timestamptz, total bigint, status text)
     returning id, external_id`,
    [tenantId, JSON.stringify(rows)],
  );
  const orderIds = new Map(inserted.rows.map((r) => [r.external_id, r.id]));
  const items = orders.flatMap((o, i) =>
    (o.items ?? []).map((k, pos) => ({ order: orderIds.get(`o${i}`)!, product: productIds.get(k)!, key: k, pos, total: Math.round(o.totalMinor / (o.items?.length ?? 1)) })),
  );
  if (items.length)
    await c.query(
      `insert into order_items (tenant_id, order_id, product_id, external_product_id, unit_price_minor, total_minor, currency, position)
       select $1, x.order, x.product, x.key, x.total, x.total, 'ARS', x.pos from jsonb_to_recordset($2::jsonb) as x("order" uuid, product uuid, key text, pos int, total bigint)`,
      [tenantId, JSON.stringify(items)],
    );
  return { customerIds: ids, productIds };
}

export const day = (iso: string, plusDays: number) => new Date(Date.parse(iso) + plusDays * 86_400_000).toISOString();

/**
 * Buyers that behave as BG/NBD assumes (so the models have something to identify): each buys at their own rate
 * until they drop out after a purchase (probability `dropout`), and spends around their own mean (Gamma–Gamma).
 */
export function simulatedBuyers(rnd: () => number, first: number, count: number, asOf: string, o: { days?: number; dropout?: number; categories?: string[] } = {}): TestOrder[] {
  const days = o.days ?? 540;
  const cats = o.categories ?? ['shoes', 'socks'];
  const out: TestOrder[] = [];
  for (let c = first; c < first + count; c++) {
    const meanGap = 7 + rnd() * 80;
    const meanSpend = 2000 + rnd() * 18000;
    const dropout = o.dropout ?? 0.05 + 0.5 * rnd() ** 2;
    let t = Math.floor(rnd() * (days - 30));
    for (;;) {
      const cat = cats[Math.floor(rnd() * cats.length)]!;
      out.push({ customer: c, at: day(asOf, -(days - t)), totalMinor: Math.round(meanSpend * (0.6 + 0.8 * rnd())), items: [`${cat}:${cat[0]}${Math.floor(rnd() * 4)}`] });
      if (rnd() < dropout) break;
      t += Math.max(1, Math.round(-Math.log(1 - rnd()) * meanGap));
      if (t >= days) break;
    }
  }
  return out;
}
