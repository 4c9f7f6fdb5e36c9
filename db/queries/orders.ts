// Orders, their items and products: batched, set-based, idempotent on (tenant, source, external id).
import type pg from 'pg';
import type { OrderItemRecord, OrderRecord, ProductRecord } from '#core/ingest/orders.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
/** PostgreSQL refuses to upsert one key twice in a statement: a page listing a record twice keeps its last copy. */
function lastPerKey<T extends { externalId: string }>(records: readonly T[]): T[] {
  return [...new Map(records.map((r) => [r.externalId, r])).values()];
}
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export interface UpsertCounts {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

const orderColumns = [
  'source_customer_id',
  'status',
  'currency',
  'total_minor',
  'subtotal_minor',
  'discount_minor',
  'shipping_minor',
  'tax_minor',
  'placed_at',
  'raw',
] as const;

/**
 * Upserts orders; a resent identical order changes nothing. Items are replaced when the order is new or
 * changed and the record carries items. The order is linked to the customer of its buyer's profile
 * (same source, profile external id = customerExternalId) if that profile is resolved already; otherwise
 * identity resolution links it later. Run inside the caller's transaction when a cursor moves with it.
 */
export async function upsertOrders(q: Queryable, tenantId: string, source: string, input: readonly OrderRecord[]): Promise<UpsertCounts> {
  const records = lastPerKey(input);
  if (!records.length) return { received: 0, inserted: 0, updated: 0, unchanged: 0 };
  const c = (f: (r: OrderRecord) => string | number | null | undefined) => records.map((r) => f(r) ?? null);
  const r = await q.query<{ id: string; external_id: string; inserted: boolean }>(
    `insert into orders (tenant_id, source, external_id, customer_id, source_customer_id, status, currency, total_minor,
                         subtotal_minor, discount_minor, shipping_minor, tax_minor, placed_at, raw)
     select $1::uuid, $2, x,
            (select sp.customer_id from source_profiles sp where sp.tenant_id = $1 and sp.source = $2 and sp.external_id = cx),
            cx, st, cu, tm, sm, dm, shm, txm, pa::timestamptz, rw::jsonb
     from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
                 $11::bigint[], $12::text[], $13::text[])
       as t(x, cx, st, cu, tm, sm, dm, shm, txm, pa, rw)
     on conflict (tenant_id, source, external_id) do update set
       ${orderColumns.map((col) => `${col} = excluded.${col}`).join(', ')},
       customer_id = coalesce(excluded.customer_id, orders.customer_id),
       updated_at = now()
     where (${orderColumns.map((col) => `orders.${col}`).join(', ')}) is distinct from (${orderColumns.map((col) => `excluded.${col}`).join(', ')})
     returning id, external_id, (xmax = 0) as inserted`,
    [
      tenantId,
      source,
      c((o) => o.externalId),
      c((o) => o.customerExternalId),
      c((o) => o.status),
      c((o) => o.currency),
      c((o) => o.totalMinor),
      c((o) => o.subtotalMinor),
      c((o) => o.discountMinor),
      c((o) => o.shippingMinor),
      c((o) => o.taxMinor),
      c((o) => o.placedAt),
      c((o) => json(o.raw)),
    ],
  );
  const inserted = r.rows.filter((row) => row.inserted).length;
  const written = new Map(r.rows.map((row) => [row.external_id, row.id]));
  const withItems = records.filter((o) => o.items && written.has(o.externalId));
  if (withItems.length) {
    // A new order has no items to replace.
    const carriesItems = new Set(withItems.map((o) => o.externalId));
    const replaced = r.rows.filter((row) => !row.inserted && carriesItems.has(row.external_id)).map((row) => row.id);
    if (replaced.length) await q.query('delete from order_items where order_id = any($1::uuid[])', [replaced]);
    const rows = withItems.flatMap((o) => (o.items ?? []).map((it, position) => ({ orderId: written.get(o.externalId)!, currency: o.currency, position, it })));
    await insertOrderItems(q, tenantId, source, rows);
  }
  return { received: input.length, inserted, updated: r.rows.length - inserted, unchanged: input.length - r.rows.length };
}

export interface ItemRow {
  orderId: string;
  currency: string;
  position: number;
  it: OrderItemRecord;
}

/**
 * Inserts order lines, each linked to the catalog product of the same source whose external id is the line's
 * external product id (or, with `matchSku`, its SKU when it has none). Run in the caller's transaction.
 */
export async function insertOrderItems(q: Queryable, tenantId: string, source: string, rows: readonly ItemRow[], opts: { matchSku?: boolean } = {}): Promise<void> {
  if (!rows.length) return;
  const col = <T>(f: (x: ItemRow) => T) => rows.map(f);
  await q.query(
    `insert into order_items (tenant_id, order_id, product_id, external_product_id, sku, name, category, quantity, unit_price_minor, total_minor, currency, position)
     select $1::uuid, oid, (select p.id from products p where p.tenant_id = $1 and p.source = $2 and p.external_id = ${opts.matchSku ? 'coalesce(xp, sk)' : 'xp'}), xp, sk, nm, ca, qt, up, tt, cu, pos
     from unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::bigint[], $10::bigint[], $11::text[], $12::int[])
       as t(oid, xp, sk, nm, ca, qt, up, tt, cu, pos)`,
    [
      tenantId,
      source,
      col((x) => x.orderId),
      col((x) => x.it.externalProductId ?? null),
      col((x) => x.it.sku ?? null),
      col((x) => x.it.name ?? null),
      col((x) => x.it.category ?? null),
      col((x) => x.it.quantity),
      col((x) => x.it.unitPriceMinor),
      col((x) => x.it.totalMinor),
      col((x) => x.currency),
      col((x) => x.position),
    ],
  );
}

const productColumns = ['sku', 'name', 'category', 'brand', 'price_minor', 'currency', 'url', 'image_url', 'attributes'] as const;

/** Upserts catalog products; a resent identical product changes nothing. */
export async function upsertProducts(q: Queryable, tenantId: string, source: string, input: readonly ProductRecord[]): Promise<UpsertCounts> {
  const records = lastPerKey(input);
  if (!records.length) return { received: 0, inserted: 0, updated: 0, unchanged: 0 };
  const c = (f: (r: ProductRecord) => string | number | null | undefined) => records.map((r) => f(r) ?? null);
  const r = await q.query<{ inserted: boolean }>(
    `insert into products (tenant_id, source, external_id, sku, name, category, brand, price_minor, currency, url, image_url, attributes)
     select $1::uuid, $2, x, sk, nm, ca, br, pm, cu, ur, im, at::jsonb
     from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[])
       as t(x, sk, nm, ca, br, pm, cu, ur, im, at)
     on conflict (tenant_id, source, external_id) do update set
       ${productColumns.map((col) => `${col} = excluded.${col}`).join(', ')}, updated_at = now()
     where (${productColumns.map((col) => `products.${col}`).join(', ')}) is distinct from (${productColumns.map((col) => `excluded.${col}`).join(', ')})
     returning (xmax = 0) as inserted`,
    [
      tenantId,
      source,
      c((p) => p.externalId),
      c((p) => p.sku),
      c((p) => p.name),
      c((p) => p.category),
      c((p) => p.brand),
      c((p) => p.priceMinor),
      c((p) => p.currency),
      c((p) => p.url),
      c((p) => p.imageUrl),
      c((p) => json(p.attributes ?? {})),
    ],
  );
  const inserted = r.rows.filter((row) => row.inserted).length;
  return { received: input.length, inserted, updated: r.rows.length - inserted, unchanged: input.length - r.rows.length };
}
