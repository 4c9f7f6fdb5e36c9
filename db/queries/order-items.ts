// Order lines on their own (an ERP's "detalle de comprobantes" export): they replace the items of orders
// already stored, matched by (tenant, source, order external id).
import type pg from 'pg';
import type { OrderItemRecord } from '#core/ingest/orders.ts';
import { insertOrderItems } from './orders.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** What happened to one order's items. `missing`: no such order in this source (nothing written). */
export type ItemsOutcome = 'inserted' | 'updated' | 'unchanged' | 'missing';

export interface OrderItemsGroup {
  orderExternalId: string;
  items: OrderItemRecord[];
}

interface StoredItem {
  order_id: string;
  external_product_id: string | null;
  sku: string | null;
  name: string | null;
  category: string | null;
  quantity: string;
  unit_price_minor: number;
  total_minor: number;
}

/** numeric(12,3): what the column keeps of a quantity. */
const qty = (n: number | string) => Math.round(Number(n) * 1000) / 1000;

function sameItems(stored: StoredItem[], items: OrderItemRecord[]): boolean {
  return (
    stored.length === items.length &&
    stored.every((s, i) => {
      const it = items[i]!;
      return (
        s.external_product_id === (it.externalProductId ?? null) &&
        s.sku === (it.sku ?? null) &&
        s.name === (it.name ?? null) &&
        s.category === (it.category ?? null) &&
        qty(s.quantity) === qty(it.quantity) &&
        Number(s.unit_price_minor) === it.unitPriceMinor &&
        Number(s.total_minor) === it.totalMinor
      );
    })
  );
}

/**
 * Sets the items of each order to exactly the given ones (a resent identical set changes nothing). Set-based:
 * three statements for the whole batch. Groups must name distinct orders. Run in the caller's transaction.
 */
export async function replaceOrderItems(q: Queryable, tenantId: string, source: string, groups: readonly OrderItemsGroup[]): Promise<Map<string, ItemsOutcome>> {
  const outcome = new Map<string, ItemsOutcome>(groups.map((g) => [g.orderExternalId, 'missing']));
  if (!groups.length) return outcome;
  const orders = (
    await q.query<{ id: string; external_id: string; currency: string }>(
      'select id, external_id, currency from orders where tenant_id = $1 and source = $2 and external_id = any($3::text[]) for update',
      [tenantId, source, groups.map((g) => g.orderExternalId)],
    )
  ).rows;
  if (!orders.length) return outcome;
  const byExternal = new Map(orders.map((o) => [o.external_id, o]));
  const stored = new Map<string, StoredItem[]>();
  const existing = await q.query<StoredItem>(
    `select order_id, external_product_id, sku, name, category, quantity::text as quantity, unit_price_minor, total_minor
     from order_items where order_id = any($1::uuid[]) order by order_id, position`,
    [orders.map((o) => o.id)],
  );
  for (const row of existing.rows) stored.set(row.order_id, [...(stored.get(row.order_id) ?? []), row]);

  const changed: { orderId: string; currency: string; items: OrderItemRecord[] }[] = [];
  for (const g of groups) {
    const order = byExternal.get(g.orderExternalId);
    if (!order) continue;
    const before = stored.get(order.id) ?? [];
    if (sameItems(before, g.items)) outcome.set(g.orderExternalId, 'unchanged');
    else {
      outcome.set(g.orderExternalId, before.length ? 'updated' : 'inserted');
      changed.push({ orderId: order.id, currency: order.currency, items: g.items });
    }
  }
  if (!changed.length) return outcome;
  const orderIds = changed.map((c) => c.orderId);
  await q.query('delete from order_items where order_id = any($1::uuid[])', [orderIds]);
  const rows = changed.flatMap((c) => c.items.map((it, position) => ({ orderId: c.orderId, currency: c.currency, position, it })));
  await insertOrderItems(q, tenantId, source, rows, { matchSku: true });
  // Downstream (scores, segments) looks at when an order last changed.
  await q.query('update orders set updated_at = now() where id = any($1::uuid[])', [orderIds]);
  return outcome;
}
