// MercadoLibre sync on a real Temporal server: the real connectionSyncWorkflow (parent) runs the MercadoLibre
// child with real activities against the fake MercadoLibre and a fresh database.
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '#activities/index.ts';
import { createMercadoLibreActivities } from '#activities/connectors/mercadolibre/mercadolibre.activities.ts';
import { createConnection, loadConnection } from '#db/queries/connections.ts';
import { enqueueNotifications } from '#db/queries/webhook-inbox.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { inboxSignal, mercadolibreInboxWorkflowId } from '#workflows/connectors/mercadolibre.contract.ts';
import type { mercadolibreInboxWorkflow } from '#workflows/connectors/mercadolibre.workflow.ts';
import { syncStatusQuery } from '#workflows/connectors/sync.contract.ts';
import type { connectionSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import { ingestWorkflowId } from '#workflows/ingest/ingest.contract.ts';
import { startFakeMercadoLibre, type FakeMercadoLibre } from '../fakes/mercadolibre.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

// ML rejects offsets ≥ 10,000; the fake and the connector use 150 here, so splitting shows with a few hundred orders.
const MAX_OFFSET = 150;
const keyring = credentialsKeyring();

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
const fakes: FakeMercadoLibre[] = [];
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  worker = await testWorker(testDb.db, {
    activities: { ...createActivities({ db: testDb.db }), ...createMercadoLibreActivities({ db: testDb.db }, { maxOffset: MAX_OFFSET, windowDays: 30 }) },
  });
  temporal = await temporalClient();
});
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => {});
  while (fakes.length) await fakes.pop()!.stop();
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

async function setup(o: { orders?: number; expiredAccessToken?: boolean } = {}) {
  const ml = await startFakeMercadoLibre({ maxOffset: MAX_OFFSET });
  fakes.push(ml);
  if (o.orders) ml.generate(o.orders, { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  const { tenant } = await seedTenant(testDb.db, 'ml');
  const t = ml.issueTokens();
  const c = await createConnection(testDb.db.$client, keyring, tenant.id, {
    kind: 'mercadolibre',
    name: 'Tienda MercadoLibre',
    config: { clientId: ml.clientId, sellerId: String(ml.sellerId), apiBaseUrl: ml.url, authBaseUrl: ml.url, backfillFrom: '2026-01-01T00:00:00.000Z' },
    credentials: {
      clientSecret: ml.clientSecret,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(Date.now() + (o.expiredAccessToken ? -1000 : 6 * 3600_000)).toISOString(),
    },
  });
  cleanup.push(() => temporal.client.workflow.getHandle(ingestWorkflowId(tenant.id)).terminate('test done'));
  return { ml, tenantId: tenant.id, connectionId: c.id, tokens: t };
}

/** Regenerate the committed histories (tests/workflows/replay.test.ts) with RECORD_HISTORIES=1 after an intended change. */
const record = async (name: string, workflowId: string) => {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  fs.writeFileSync(path.resolve(`tests/histories/${name}.json`), historyToJSON(history));
};

let runs = 0;
function startSync(tenantId: string, connectionId: string) {
  return temporal.client.workflow.start<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
    workflowId: `sync-test:${connectionId}:${++runs}`,
    taskQueue: worker.taskQueue,
    args: [{ tenantId, connectionId, trigger: 'manual' }],
  });
}
const sync = async (tenantId: string, connectionId: string) => (await startSync(tenantId, connectionId)).result();

const q = <T = any>(sql: string, params: unknown[]) => testDb.db.$client.query(sql, params).then((r) => r.rows as T[]);
const orderCount = async (tenantId: string) =>
  (await q<{ n: number; d: number }>(`select count(*)::int as n, count(distinct external_id)::int as d from orders where tenant_id = $1 and source = 'mercadolibre'`, [tenantId]))[0]!;
const lastRun = async (connectionId: string) => (await q(`select * from sync_runs where connection_id = $1 order by started_at desc limit 1`, [connectionId]))[0];

describe('MercadoLibre sync workflow', () => {
  it('backfills in date windows, splitting those too big to page, then syncs incrementally without duplicates', async () => {
    const { ml, tenantId, connectionId } = await setup({ orders: 600 });
    const handle = await startSync(tenantId, connectionId);
    const counts = await handle.result();
    expect(counts).toMatchObject({ fetched: 600, inserted: 600, updated: 0, failed: 0 });
    expect(await orderCount(tenantId)).toEqual({ n: 600, d: 600 });

    // The split: 30-day windows of ~300 orders exceed the cap of 150, so narrower windows were searched, and no
    // request ever reached the offset cap (the fake would have answered 400 and failed the run).
    const searches = ml.requestsTo('/orders/search');
    expect(searches.every((r) => Number(r.query.offset) < MAX_OFFSET && r.status === 200)).toBe(true);
    const spans = searches.map((r) => Date.parse(r.query['order.date_created.to']!) - Date.parse(r.query['order.date_created.from']!));
    expect(Math.min(...spans)).toBeLessThan(10 * 24 * 3600_000);
    const run = await lastRun(connectionId);
    expect(run).toMatchObject({ status: 'succeeded', counts: { fetched: 600, inserted: 600, updated: 0, skipped: 0, failed: 0 } });
    expect(run.progress.totalWindows).toBeGreaterThan(11);
    expect(run.progress.doneWindows).toBe(run.progress.totalWindows);
    const status = await temporal.client.workflow.getHandle(`${handle.workflowId}/mercadolibre`).query(syncStatusQuery);
    expect(status).toMatchObject({ stream: 'orders', doneWindows: run.progress.totalWindows, counts: { fetched: 600, inserted: 600 } });

    // Profiles: one per buyer, documents from billing_info, never an e-mail; orders linked and in centavos.
    const fakeOrder = ml.getOrder(2_000_008_000_000_000 + 17)!;
    const [stored] = await q(`select * from orders where tenant_id = $1 and external_id = $2`, [tenantId, String(fakeOrder.order.id)]);
    expect(stored).toMatchObject({ status: fakeOrder.order.status, currency: 'ARS', total_minor: Math.round(fakeOrder.order.total_amount * 100), source_customer_id: String(fakeOrder.order.buyer.id) });
    const items = await q(`select * from order_items where order_id = $1 order by position`, [stored.id]);
    expect(items).toHaveLength(fakeOrder.order.order_items.length);
    const profiles = await q(`select * from source_profiles where tenant_id = $1 and source = 'mercadolibre'`, [tenantId]);
    const buyers = new Set([...Array(600).keys()].map((i) => ml.getOrder(2_000_008_000_000_000 + i)!.order.buyer.id));
    expect(profiles).toHaveLength(buyers.size);
    expect(profiles.every((p) => p.email === null)).toBe(true);
    expect(profiles.filter((p) => p.dni || p.cuit).length).toBeGreaterThan(buyers.size / 2);
    const withBilling = [...Array(600).keys()].map((i) => ml.getOrder(2_000_008_000_000_000 + i)!).find((o) => o.buyer?.identification.type === 'DNI')!;
    expect(profiles.find((p) => p.external_id === String(withBilling.order.buyer.id))).toMatchObject({ dni: withBilling.buyer!.identification.number, first_name: withBilling.buyer!.firstName });
    // The batch fed identity resolution (the tenant's ingest workflow was signalled or started).
    expect((await temporal.client.workflow.getHandle(ingestWorkflowId(tenantId)).describe()).type).toBe('ingestWorkflow');

    // Incremental: new orders and a changed old one are found by last update; nothing is stored twice.
    const now = Date.now();
    ml.generate(30, { from: new Date(now - 6 * 60_000).toISOString(), to: new Date(now - 3 * 60_000).toISOString(), firstId: 2_000_009_000_000_000, seed: 99 });
    ml.updateOrder(fakeOrder.order.id, { status: 'cancelled' });
    const searchesBefore = ml.requestsTo('/orders/search').length;
    const again = await sync(tenantId, connectionId);
    expect(again).toMatchObject({ inserted: 30, updated: 1, failed: 0 });
    expect(await orderCount(tenantId)).toEqual({ n: 630, d: 630 });
    expect((await q(`select status from orders where tenant_id = $1 and external_id = $2`, [tenantId, String(fakeOrder.order.id)]))[0].status).toBe('cancelled');
    const incremental = ml.requestsTo('/orders/search').slice(searchesBefore);
    expect(incremental.every((r) => r.query['order.date_last_updated.from'] && !r.query['order.date_created.from'])).toBe(true);

    // A third run with nothing new writes nothing.
    const idle = await sync(tenantId, connectionId);
    expect(idle).toMatchObject({ inserted: 0, updated: 0 });
    expect(await orderCount(tenantId)).toEqual({ n: 630, d: 630 });
  });

  it('refreshes an access token that expires mid-sync (and one that expired before it) and loses nothing', async () => {
    const { ml, tenantId, connectionId, tokens } = await setup({ orders: 200, expiredAccessToken: true });
    // The third search finds every token expired (401): one forced refresh, one retry.
    ml.fault({ path: '/orders/search', skip: 2, expireTokens: true });
    const handle = await startSync(tenantId, connectionId);
    const counts = await handle.result();
    expect(counts).toMatchObject({ fetched: 200, inserted: 200, failed: 0 });
    await record('mercadolibre-sync-workflow', `${handle.workflowId}/mercadolibre`);
    expect(await orderCount(tenantId)).toEqual({ n: 200, d: 200 });
    const refreshes = ml.requestsTo('/oauth/token').filter((r) => r.form?.grant_type === 'refresh_token');
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.every((r) => r.status === 200)).toBe(true);
    expect(ml.requestsTo('/orders/search').some((r) => r.status === 401)).toBe(true);
    const creds = (await loadConnection(testDb.db.$client, keyring, connectionId))!.credentials;
    expect(creds.refreshToken).not.toBe(tokens.refresh_token);
    expect(Date.parse(creds.expiresAt as string)).toBeGreaterThan(Date.now() + 3600_000);
  });

  it('fails the run with a clear message and puts the connection in error when the refresh token was already used', async () => {
    const { ml, tenantId, connectionId } = await setup({ orders: 10, expiredAccessToken: true });
    ml.revokeRefreshTokens();
    const err = await sync(tenantId, connectionId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(ml.requestsTo('/oauth/token').at(-1)).toMatchObject({ status: 400 });
    const run = await lastRun(connectionId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/invalid_grant.*Reconnect MercadoLibre/s);
    const [conn] = await q(`select status, last_error from connections where id = $1`, [connectionId]);
    expect(conn.status).toBe('error');
    expect(conn.last_error).toMatch(/Reconnect MercadoLibre/);
    expect(await orderCount(tenantId)).toEqual({ n: 0, d: 0 });
  });

  it('completes with all data through 429s (Retry-After), 500s and connection resets', async () => {
    const { ml, tenantId, connectionId } = await setup({ orders: 300 });
    ml.fault({ path: '/orders/search', status: 429, retryAfter: 1, times: 2 });
    ml.fault({ path: /\/billing_info$/, skip: 20, status: 500, times: 3 });
    ml.fault({ path: /^\/orders\/\d+\/billing_info$/, skip: 120, reset: true, times: 1 });
    ml.fault({ path: '/orders/search', skip: 4, status: 503, times: 1 });
    const counts = await sync(tenantId, connectionId);
    expect(await orderCount(tenantId)).toEqual({ n: 300, d: 300 });
    expect(counts).toMatchObject({ failed: 0 });
    expect(ml.requestsTo('/orders/search').filter((r) => r.status === 429)).toHaveLength(2);
    expect(ml.requestsTo('/orders/').filter((r) => r.status === 500)).toHaveLength(3);
    expect(ml.requests.some((r) => r.status === -1)).toBe(true);
    // Retried pages were not counted twice in the run: each order was inserted once.
    expect((await lastRun(connectionId)).counts.inserted).toBe(300);
  });

  it('a worker dying before a page commits, or after it committed but before reporting, loses and duplicates nothing', async () => {
    const { ml, tenantId, connectionId } = await setup({ orders: 300 });
    const real = createMercadoLibreActivities({ db: testDb.db }, { maxOffset: MAX_OFFSET, windowDays: 30 });
    let calls = 0;
    let diedAfterCommit = 0;
    const crashing: typeof real = {
      ...real,
      async mercadolibreOrdersPage(input) {
        calls++;
        if (calls === 4) throw ApplicationFailure.retryable('worker died mid-page (nothing committed)');
        const result = await real.mercadolibreOrdersPage(input);
        // The page, its cursor and its run counts are committed; the completion never reaches Temporal.
        if (calls >= 6 && !diedAfterCommit && result.counts.inserted > 0) {
          diedAfterCommit = result.counts.inserted;
          throw ApplicationFailure.retryable('worker died after the commit');
        }
        return result;
      },
    };
    const w = await testWorker(testDb.db, { activities: { ...createActivities({ db: testDb.db }), ...crashing } });
    try {
      await temporal.client.workflow.execute<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
        workflowId: `sync-test:${connectionId}:crash`,
        taskQueue: w.taskQueue,
        args: [{ tenantId, connectionId, trigger: 'manual' }],
      });
    } finally {
      await w.stop();
    }
    expect(diedAfterCommit).toBeGreaterThan(0);
    expect(await orderCount(tenantId)).toEqual({ n: 300, d: 300 });
    // The run history counts each committed page exactly once (the counts are written with the page).
    expect((await lastRun(connectionId)).counts).toMatchObject({ fetched: 300, inserted: 300, failed: 0 });
    expect(ml.requestsTo('/orders/search').every((r) => r.status === 200)).toBe(true);
  });

  it('stores a notified order through the inbox drain, and a later notification for it updates it', async () => {
    const { ml, tenantId, connectionId } = await setup({ orders: 5 });
    const order = [0, 1, 2, 3, 4].map((i) => ml.getOrder(2_000_008_000_000_000 + i)!).find((o) => o.order.status === 'paid')!;
    const note = ml.notification(order.order.id);
    const enqueue = (n: ReturnType<typeof ml.notification>) =>
      enqueueNotifications(testDb.db.$client, [{ tenantId, connectionId, eventId: `${n.topic}:${n.resource}`, topic: n.topic, resource: n.resource, payload: n }]);
    expect(await enqueue(note)).toBe(1);
    const drain = () =>
      temporal.client.workflow.signalWithStart<typeof mercadolibreInboxWorkflow>('mercadolibreInboxWorkflow', {
        workflowId: mercadolibreInboxWorkflowId(connectionId),
        taskQueue: worker.taskQueue,
        args: [{ tenantId, connectionId }],
        signal: inboxSignal,
      });
    const h = await drain();
    cleanup.push(() => h.terminate('test done'));
    await eventually(async () => (await q(`select 1 from orders where tenant_id = $1 and external_id = $2`, [tenantId, String(order.order.id)])).length === 1, 20_000, 'notified order');
    const [row] = await q(`select * from webhook_inbox where connection_id = $1`, [connectionId]);
    expect(row.processed_at).not.toBeNull();
    expect(row.error).toBeNull();
    // The same notification again (ML retry): dropped. A newer one: re-queued, and the order's new state stored.
    expect(await enqueue(note)).toBe(0);
    ml.updateOrder(order.order.id, { status: 'cancelled' });
    expect(await enqueue(ml.notification(order.order.id, { attempts: 1 }))).toBe(1);
    await drain();
    await eventually(
      async () =>
        (await q(`select status from orders where tenant_id = $1 and external_id = $2`, [tenantId, String(order.order.id)]))[0]?.status === 'cancelled' &&
        (await q(`select 1 from webhook_inbox where connection_id = $1 and processed_at is null`, [connectionId])).length === 0,
      20_000,
      'updated order',
    );
    expect(await orderCount(tenantId)).toEqual({ n: 1, d: 1 });
    await h.terminate('test done');
    await record('mercadolibre-inbox-workflow', h.workflowId);
  });

  it('recovers notifications ML failed to deliver from /missed_feeds (only this seller’s)', async () => {
    const { ml, tenantId, connectionId } = await setup({ orders: 5 });
    const lost = ml.getOrder(2_000_008_000_000_001)!;
    ml.missFeed(lost.order.id);
    ml.missFeed(2_000_008_000_000_002, { sellerId: 999 });
    const h = await temporal.client.workflow.signalWithStart<typeof mercadolibreInboxWorkflow>('mercadolibreInboxWorkflow', {
      workflowId: mercadolibreInboxWorkflowId(connectionId),
      taskQueue: worker.taskQueue,
      args: [{ tenantId, connectionId }],
      signal: inboxSignal,
    });
    cleanup.push(() => h.terminate('test done'));
    await eventually(async () => (await orderCount(tenantId)).n === 1, 20_000, 'recovered order');
    const rows = await q(`select resource, payload, processed_at from webhook_inbox where connection_id = $1`, [connectionId]);
    expect(rows).toEqual([expect.objectContaining({ resource: `/orders/${lost.order.id}`, payload: expect.objectContaining({ recoveredFrom: 'missed_feeds' }) })]);
    expect(rows[0].processed_at).not.toBeNull();
    expect(ml.requestsTo('/missed_feeds')[0]!.query).toMatchObject({ app_id: ml.clientId, topic: 'orders_v2' });

    // The scheduled sync reads /missed_feeds too: a feed lost after the drain is recovered by the next sync.
    await h.terminate('drain stopped');
    cleanup.pop();
    const other = ml.getOrder(2_000_008_000_000_004)!;
    ml.missFeed(other.order.id);
    await sync(tenantId, connectionId);
    const [recovered] = await q(`select processed_at from webhook_inbox where connection_id = $1 and resource = $2`, [connectionId, `/orders/${other.order.id}`]);
    expect(recovered.processed_at).not.toBeNull();
  });
});
