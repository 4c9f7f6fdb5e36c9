// `npm run demo:seed`'s logic against the test stack: a smaller demo store served by the fake VTEX, the real sync
// and import workflows on a test worker. A second run changes nothing: no second connection, import or record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsKeyring } from '#platform/secrets.ts';
import { importWorkflowId } from '#workflows/imports/import.contract.ts';
import { DEMO_CSV_NAME, DEMO_FILE_CONNECTION, DEMO_VTEX_CONNECTION, demoCustomersCsv, demoDataset, seedDemo } from '../../scripts/demo/seed.ts';
import { FakeVtex } from '../fakes/vtex.ts';
import { createTestDatabase } from '../support/db.ts';
import { temporalClient, testWorker } from '../support/temporal.ts';

const DAY = 86_400_000;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let fake: FakeVtex;

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  worker = await testWorker(testDb.db);
});
afterAll(async () => {
  await worker?.stop();
  await fake?.stop();
  await temporal?.close();
  await testDb?.drop();
});

const q = async <T = any>(sql: string, params: unknown[] = []) => (await testDb.db.$client.query(sql, params)).rows as T[];

describe('demo seed', () => {
  it('fills the demo workspace through the real connectors, and a second run duplicates nothing', { timeout: 180_000 }, async () => {
    const data = demoDataset({ anchorMs: Math.floor(Date.now() / DAY) * DAY, orders: 400, customers: 150, products: 30 });
    fake = new FakeVtex({ data, account: 'tiendademo' });
    const url = await fake.start();
    const store = { url, account: fake.account, appKey: fake.appKey, appToken: fake.appToken, backfillFrom: new Date(data.orders[0]!.createdMs - DAY).toISOString() };
    const csv = demoCustomersCsv(data);
    const csvRows = csv.trim().split('\n').length - 1;
    const deps = { db: testDb.db, keyring: credentialsKeyring, temporal: async () => temporal.client, taskQueue: worker.taskQueue, temporalClient: temporal.client };
    const settle = async (r: Awaited<ReturnType<typeof seedDemo>>) => {
      await temporal.client.workflow.getHandle(r.vtex.sync.workflowId, r.vtex.sync.runId).result();
      await temporal.client.workflow.getHandle(importWorkflowId(r.file.importId)).result();
    };
    const stored = async (tenantId: string) => ({
      orders: (await q('select count(*)::int as n from orders where tenant_id = $1', [tenantId]))[0].n,
      items: (await q('select count(*)::int as n from order_items where tenant_id = $1', [tenantId]))[0].n,
      products: (await q('select count(*)::int as n from products where tenant_id = $1', [tenantId]))[0].n,
      profiles: await q('select source, count(*)::int as n from source_profiles where tenant_id = $1 group by source order by source', [tenantId]),
      imports: (await q('select count(*)::int as n from imports where tenant_id = $1', [tenantId]))[0].n,
    });

    const first = await seedDemo(deps, store, csv);
    expect(first).toMatchObject({ tenantCreated: true, vtex: { created: true, sync: { alreadyRunning: false } }, file: { created: true, imported: true } });
    await settle(first);
    const connections = await q('select name, kind, status from connections where tenant_id = $1 order by name', [first.tenantId]);
    expect(connections).toEqual([
      { name: DEMO_FILE_CONNECTION, kind: 'file', status: 'active' },
      { name: DEMO_VTEX_CONNECTION, kind: 'vtex', status: 'active' },
    ]);
    const [imp] = await q('select status, file_name, counts from imports where id = $1', [first.file.importId]);
    expect(imp).toMatchObject({ status: 'succeeded', file_name: DEMO_CSV_NAME, counts: { rows: csvRows, failed: 0, inserted: csvRows } });
    const after = await stored(first.tenantId);
    const clDocs = data.customers.filter((c) => c.inCl).length;
    expect(after.orders).toBe(400);
    expect(after.items).toBe(data.orders.reduce((n, o) => n + o.items.length, 0));
    expect(after.products).toBe(30);
    expect(after.profiles).toEqual([
      { source: 'erp', n: csvRows },
      { source: 'vtex', n: expect.any(Number) },
    ]);
    expect(after.profiles[1].n).toBeGreaterThanOrEqual(clDocs);
    const [run] = await q('select status, trigger, counts from sync_runs where connection_id = $1', [first.vtex.connectionId]);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', counts: { failed: 0 } });

    // Again: same workspace and connections, no second import, nothing new stored.
    const second = await seedDemo(deps, store, csv);
    expect(second).toMatchObject({ tenantId: first.tenantId, tenantCreated: false, vtex: { connectionId: first.vtex.connectionId, created: false }, file: { connectionId: first.file.connectionId, created: false, importId: first.file.importId, imported: false } });
    await settle(second);
    expect(await stored(first.tenantId)).toEqual(after);
    expect(await q('select count(*)::int as n from connections where tenant_id = $1', [first.tenantId])).toEqual([{ n: 2 }]);
  });
});
