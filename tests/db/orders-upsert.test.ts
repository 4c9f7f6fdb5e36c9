// upsertOrders: items are written with a new order and replaced (never duplicated) when a changed order brings items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRecord } from '#core/ingest/orders.ts';
import { upsertOrders } from '#db/queries/orders.ts';
import { createTestDatabase } from '../support/db.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.drop());

const order = (status: string, items: [string, number][]): OrderRecord => ({
  externalId: 'o-1',
  status,
  currency: 'ARS',
  totalMinor: items.reduce((s, [, p]) => s + p, 0),
  placedAt: '2026-01-02T03:04:05.000Z',
  items: items.map(([sku, p]) => ({ sku, quantity: 1, unitPriceMinor: p, totalMinor: p })),
});

describe('upsertOrders', () => {
  it('inserts items with a new order, replaces them on change, keeps them on an identical resend', async () => {
    const { tenant } = await seedTenant(testDb.db, 'orders');
    const items = async () =>
      (await testDb.db.$client.query('select sku, total_minor from order_items where tenant_id = $1 order by position', [tenant.id])).rows.map((r) => [r.sku, Number(r.total_minor)]);
    expect(await upsertOrders(testDb.db.$client, tenant.id, 'erp', [order('paid', [['a', 100], ['b', 200]])])).toMatchObject({ inserted: 1, updated: 0 });
    expect(await items()).toEqual([['a', 100], ['b', 200]]);
    expect(await upsertOrders(testDb.db.$client, tenant.id, 'erp', [order('paid', [['a', 100], ['b', 200]])])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect(await items()).toEqual([['a', 100], ['b', 200]]);
    expect(await upsertOrders(testDb.db.$client, tenant.id, 'erp', [order('shipped', [['c', 300]])])).toMatchObject({ inserted: 0, updated: 1 });
    expect(await items()).toEqual([['c', 300]]);
  });
});
