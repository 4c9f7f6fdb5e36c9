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
  // One JSON document instead of a text array per column: JSON.stringify is native, where pg escapes every array
  // element in JavaScript, and a page holds a few hundred orders and items.
  const rows = records.map((o) => ({
    x: o.externalId,
    cx: o.customerExternalId,
    st: o.status,
    cu: o.currency,
    tm: o.totalMinor,
    sm: o.subtotalMinor,
    dm: o.discountMinor,
    shm: o.shippingMinor,
    txm: o.taxMinor,
    pa: o.placedAt,
    rw: o.raw ?? null,
    it: o.items?.map((it, pos) => ({ xp: it.externalProductId, sk: it.sku, nm: it.name, ca: it.category, qt: it.quantity, up: it.unitPriceMinor, tt: it.totalMinor, pos })),
  }));
  // A new order's items go in the same statement (the usual case: a backfill writes new orders); a changed
  // order's items are replaced below.
  const r = await q.query<{ id: string; external_id: string; inserted: boolean }>(
    `with t as (
       select * from json_to_recordset($3::json)
         as t(x text, cx text, st text, cu text, tm bigint, sm bigint, dm bigint, shm bigint, txm bigint, pa timestamptz, rw jsonb, it json)
     ), written as (
       insert into orders (tenant_id, source, external_id, customer_id, source_customer_id, status, currency, total_minor,
                           subtotal_minor, discount_minor, shipping_minor, tax_minor, placed_at, raw)
       select $1::uuid, $2, x,
              (select sp.customer_id from source_profiles sp where sp.tenant_id = $1 and sp.source = $2 and sp.external_id = cx),
              cx, st, cu, tm, sm, dm, shm, txm, pa, rw
       from t
       on conflict (tenant_id, source, external_id) do update set
         ${orderColumns.map((col) => `${col} = excluded.${col}`).join(', ')},
         customer_id = coalesce(excluded.customer_id, orders.customer_id),
         updated_at = now()
       where (${orderColumns.map((col) => `orders.${col}`).join(', ')}) is distinct from (${orderColumns.map((col) => `excluded.${col}`).join(', ')})
       returning id, external_id, (xmax = 0) as inserted
     ), new_items as (
       insert into order_items (tenant_id, order_id, product_id, external_product_id, sku, name, category, quantity, unit_price_minor, total_minor, currency, position)
       select $1::uuid, w.id, (select p.id from products p where p.tenant_id = $1 and p.source = $2 and p.external_id = i.xp),
              i.xp, i.sk, i.nm, i.ca, i.qt, i.up, i.tt, t.cu, i.pos
       from written w
       join t on t.x = w.external_id
       cross join lateral json_to_recordset(t.it) as i(xp text, sk text, nm text, ca text, qt numeric, up bigint, tt bigint, pos int)
       where w.inserted
     )
     select id, external_id, inserted from written`,
    [tenantId, source, JSON.stringify(rows)],
  );
  const inserted = r.rows.filter((row) => row.inserted).length;
  const replacedIds = new Map(r.rows.filter((row) => !row.inserted).map((row) => [row.external_id, row.id]));
  const replaced = records.filter((o) => o.items && replacedIds.has(o.externalId));
  if (replaced.length) {
    await q.query('delete from order_items where order_id = any($1::uuid[])', [replaced.map((o) => replacedIds.get(o.externalId)!)]);
    const items = replaced.flatMap((o) => (o.items ?? []).map((it, position) => ({ orderId: replacedIds.get(o.externalId)!, currency: o.currency, position, it })));
    await insertOrderItems(q, tenantId, source, items);
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
