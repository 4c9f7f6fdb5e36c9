// VTEX page activities called directly (no Temporal): a page commits rows, cursor and run counts together,
// and a retried page whose first attempt committed changes nothing and counts nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVtexActivities } from '#activities/connectors/vtex/index.ts';
import { createConnection, readCursor, startSyncRun } from '#db/queries/connections.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { FakeVtex } from '../fakes/vtex.ts';
import { VtexDataset } from '../fakes/vtex-data.ts';
import { createTestDatabase } from '../support/db.ts';
import { seedTenant } from '../support/tenants.ts';

const DAY = 86_400_000;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let fake: FakeVtex;
let acts: ReturnType<typeof createVtexActivities>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const data = new VtexDataset({ seed: 5, customers: 300, products: 30 });
  data.addOrders(250, { from: Date.now() - 60 * DAY, to: Date.now() - DAY });
  fake = new FakeVtex({ data });
  await fake.start();
  acts = createVtexActivities({ db: testDb.db });
});
afterAll(async () => {
  await fake?.stop();
  await testDb?.drop();
});

const q = async (sql: string, params: unknown[] = []) => (await testDb.db.$client.query(sql, params)).rows;

async function connection() {
  const { tenant } = await seedTenant(testDb.db, 'vtexdb');
  const c = await createConnection(testDb.db.$client, credentialsKeyring(), tenant.id, {
    kind: 'vtex',
    name: 'VTEX',
    config: { account: fake.account, baseUrl: fake.url, backfillFrom: new Date(Date.now() - 90 * DAY).toISOString() },
    credentials: { appKey: fake.appKey, appToken: fake.appToken },
  });
  const runId = await startSyncRun(testDb.db.$client, { tenantId: tenant.id, connectionId: c.id, workflowId: `wf-${c.id}`, workflowRunId: 'r1', trigger: 'manual' });
  return { tenantId: tenant.id, connectionId: c.id, runId };
}

describe('VTEX page activities', () => {
  it('a page committed once is never written or counted again', async () => {
    const ids = await connection();
    const plan = await acts.vtexPlanOrders(ids);
    expect(plan.orders).toBe(250);
    const w = plan.windows[0]!;
    const page = { ...ids, window: { from: w.from, to: w.to }, page: 1 };
    const first = await acts.vtexOrdersPage(page);
    expect(first).toMatchObject({ kind: 'page', pages: 3, counts: { fetched: 100, inserted: 100, failed: 0 } });
    const after = await q('select counts from sync_runs where id = $1', [ids.runId]);
    const retried = await acts.vtexOrdersPage(page);
    expect(retried).toMatchObject({ kind: 'page', pages: 3, alreadyCommitted: true, counts: { fetched: 0, inserted: 0 } });
    expect(await q('select counts from sync_runs where id = $1', [ids.runId])).toEqual(after);
    expect(await q('select count(*)::int as n from orders where tenant_id = $1', [ids.tenantId])).toEqual([{ n: 100 }]);
    const cursor = await readCursor<any>(testDb.db.$client, ids.connectionId, 'orders');
    expect(cursor.range.partial).toEqual([{ from: w.from, to: w.to, page: 1 }]);

    // The rest of the window; the range settles into the watermark.
    await acts.vtexOrdersPage({ ...page, page: 2 });
    await acts.vtexOrdersPage({ ...page, page: 3 });
    expect(await readCursor(testDb.db.$client, ids.connectionId, 'orders')).toEqual({ createdThrough: cursor.range.until });
  });

  it('a window in one activity: each page committed with the cursor, a page budget, a retry resumes after the last commit', async () => {
    const ids = await connection();
    const plan = await acts.vtexPlanOrders(ids);
    const w = plan.windows[0]!;
    const input = { ...ids, window: { from: w.from, to: w.to }, page: 1 };
    // Budget of one page: page 1 committed, told to go on at 2.
    const first = await acts.vtexOrdersWindow({ ...input, maxPages: 1 });
    expect(first).toMatchObject({ kind: 'window', pages: 3, pagesDone: 1, next: 2, counts: { fetched: 100, inserted: 100 } });
    expect((await readCursor<any>(testDb.db.$client, ids.connectionId, 'orders')).range.partial).toEqual([{ from: w.from, to: w.to, page: 1 }]);
    // A retry of that first call (its completion lost) starts after the committed page, not at page 1.
    const retried = await acts.vtexOrdersWindow({ ...input, maxPages: 30 });
    expect(retried).toMatchObject({ kind: 'window', pages: 3, pagesDone: 2, counts: { fetched: 150, inserted: 150 } });
    expect(retried).not.toHaveProperty('next');
    const runCounts = (await q('select counts from sync_runs where id = $1', [ids.runId]))[0].counts;
    expect(runCounts).toMatchObject({ fetched: 250, inserted: 250 });
    // Whole window committed: another retry does and counts nothing.
    expect(await acts.vtexOrdersWindow({ ...input, maxPages: 30 })).toMatchObject({ kind: 'window', pagesDone: 0, counts: { fetched: 0 } });
    expect((await q('select counts from sync_runs where id = $1', [ids.runId]))[0].counts).toEqual(runCounts);
    expect(await q('select count(*)::int as n from orders where tenant_id = $1', [ids.tenantId])).toEqual([{ n: 250 }]);
    // The only window is done: the range settles into the watermark.
    expect(plan.windows).toHaveLength(1);
    expect(await readCursor(testDb.db.$client, ids.connectionId, 'orders')).toEqual({ createdThrough: expect.any(String) });
  });

  it('an order VTEX cannot serve is reported on the run and does not stop the page', async () => {
    const ids = await connection();
    const plan = await acts.vtexPlanOrders(ids);
    const w = plan.windows[0]!;
    const gone = fake.data.orders[0]!;
    fake.data.byId.delete(gone.orderId);
    try {
      const r = await acts.vtexOrdersPage({ ...ids, window: { from: w.from, to: w.to }, page: 1 });
      expect(r).toMatchObject({ kind: 'page', counts: { fetched: 100, inserted: 99, failed: 1 } });
    } finally {
      fake.data.byId.set(gone.orderId, gone);
    }
    const [run] = await q('select counts, record_errors from sync_runs where id = $1', [ids.runId]);
    expect(run.record_errors).toEqual([{ stream: 'orders', externalId: gone.orderId, reason: 'VTEX answered 404 for the order' }]);
  });

  it('customers: an expired scroll token reopens the scroll from the committed cursor', async () => {
    const ids = await connection();
    const first = await acts.vtexCustomersPage(ids);
    const inCl = fake.data.customers.filter((c) => c.inCl).length;
    expect(first.counts.fetched).toBe(inCl < 500 ? inCl : 500);
    expect(first.done).toBe(inCl < 500);
    const since = await readCursor<{ updatedSince: string }>(testDb.db.$client, ids.connectionId, 'customers');
    expect(since?.updatedSince).toBe(new Date(Math.max(...fake.data.customers.filter((c) => c.inCl).map((c) => c.updatedIn))).toISOString());
    const again = await acts.vtexCustomersPage({ ...ids, token: 'expired-token' });
    // Only the document(s) at the cursor's instant come again, unchanged.
    expect(again.counts).toMatchObject({ fetched: 1, inserted: 0, updated: 0, skipped: 1 });
    const [vtexClIds] = await q(`select count(*)::int as n from source_profiles where tenant_id = $1 and attributes ? 'vtexClId'`, [ids.tenantId]);
    expect(vtexClIds.n).toBe(inCl);
  });
});
