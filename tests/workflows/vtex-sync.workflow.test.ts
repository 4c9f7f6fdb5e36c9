// The VTEX connector end to end: the real connectionSyncWorkflow (which starts vtexSyncWorkflow) on the real
// Temporal server, real activities over a fresh database, against the fake VTEX.
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts } from '#core/connectors/types.ts';
import { startSyncRun } from '#db/queries/connections.ts';
import { syncStatusQuery } from '#workflows/connectors/sync.contract.ts';
import type { connectionSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import { ingestWorkflowId } from '#workflows/ingest/ingest.contract.ts';
import type { vtexSyncWorkflow } from '#workflows/connectors/vtex.workflow.ts';
import type { FakeVtex } from '../fakes/vtex.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
import { storedOrders, storeTruth, vtexStore } from '../support/vtex.ts';
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
const fakes: FakeVtex[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  worker = await testWorker(testDb.db);
});
afterAll(async () => {
  await worker?.stop();
  for (const f of fakes) await f.stop();
  await temporal?.close();
  await testDb?.drop();
});

const q = async <T = any>(sql: string, params: unknown[] = []) => (await testDb.db.$client.query(sql, params)).rows as T[];

async function store(opts: Parameters<typeof vtexStore>[1]) {
  const s = await vtexStore(testDb.db, opts);
  fakes.push(s.fake);
  return s;
}
const stored = (tenantId: string) => storedOrders(testDb.db, tenantId);
const truth = storeTruth;

let runs = 0;
function startSync(s: { tenantId: string; connectionId: string }, taskQueue = worker.taskQueue) {
  return temporal.client.workflow.start<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
    workflowId: `vtex-sync-test:${s.connectionId}:${++runs}`,
    taskQueue,
    args: [{ tenantId: s.tenantId, connectionId: s.connectionId, trigger: 'manual' }],
  });
}

const lastRun = async (connectionId: string) => (await q('select * from sync_runs where connection_id = $1 order by started_at desc limit 1', [connectionId]))[0];

/** Orders the fake's list covered with one query, for each list request it served. */
function listedWindows(fake: FakeVtex) {
  return fake.requestsFor('orders.list').map((r) => {
    const p = new URLSearchParams(r.query);
    const m = /^creationDate:\[(.+) TO (.+)\]$/.exec(p.get('f_creationDate') ?? '')!;
    const total = fake.data.lowerBound(Date.parse(m[2]!) + 1) - fake.data.lowerBound(Date.parse(m[1]!));
    return { page: Number(p.get('page')), perPage: Number(p.get('per_page')), total, status: r.status };
  });
}

describe('vtexSyncWorkflow', () => {
  let a: Awaited<ReturnType<typeof store>>;

  it('backfills every order, splitting a window over 30 × 100 until it fits; relay e-mails never stored', { timeout: 240_000 }, async () => {
    a = await store({ seed: 21, orders: 6200, days: 400, spike: 3600 });
    const handle = await startSync(a);
    await handle.result();

    expect(await stored(a.tenantId)).toEqual(truth(a.data));
    // A window holding more than 3,000 orders was seen, and none was paged past its first page.
    const windows = listedWindows(a.fake);
    expect(windows.some((w) => w.perPage === 100 && w.total > 3000)).toBe(true);
    expect(windows.filter((w) => w.page > 1).every((w) => w.total <= 3000)).toBe(true);
    expect(windows.every((w) => w.status === 200)).toBe(true);

    // Every order's items, one by one.
    const items = await q<{ external_id: string; n: number; total: string }>(
      `select o.external_id, count(i.*)::int as n, sum(i.total_minor)::bigint as total from orders o join order_items i on i.order_id = o.id
       where o.tenant_id = $1 group by o.external_id`,
      [a.tenantId],
    );
    const byId = new Map(items.map((r) => [r.external_id, r]));
    for (const o of a.data.orders) {
      const t = a.data.totals(o);
      expect([byId.get(o.orderId)?.n, Number(byId.get(o.orderId)?.total)]).toEqual([o.items.length, t.items + t.discounts]);
    }

    // Relay (Conversation Tracker) addresses are nowhere; masked buyers got their CL address.
    expect(await q(`select email from source_profiles where tenant_id = $1 and email like '%ct.vtex.com.br'`, [a.tenantId])).toEqual([]);
    expect(await q(`select count(*)::int as n from orders where tenant_id = $1 and raw::text like '%ct.vtex.com.br%'`, [a.tenantId])).toEqual([{ n: 0 }]);
    const masked = a.data.orders.filter((o) => o.emailMode !== 'real').map((o) => a.data.customers[o.customer]!);
    expect(masked.length).toBeGreaterThan(100);
    const emails = new Map(
      (await q<{ external_id: string; email: string }>('select external_id, email from source_profiles where tenant_id = $1 and source = $2', [a.tenantId, 'vtex'])).map((r) => [r.external_id, r.email]),
    );
    for (const c of masked) expect(emails.get(c.userId!)).toBe(c.email);
    // Orders link to their buyer's profile key.
    const [unlinked] = await q(`select count(*)::int as n from orders where tenant_id = $1 and source_customer_id is null`, [a.tenantId]);
    expect(unlinked.n).toBe(0);

    const run = await lastRun(a.connectionId);
    const clDocs = a.data.customers.filter((c) => c.inCl).length;
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.counts.fetched).toBe(clDocs + a.data.orders.length + a.data.products.length);
    expect(run.counts.failed).toBe(0);
    expect(run.counts.inserted + run.counts.updated + run.counts.skipped).toBe(run.counts.fetched);
    expect(run.progress.doneWindows).toBe(run.progress.totalWindows);
    expect(run.progress.totalWindows).toBeGreaterThan(3);

    const status = await temporal.client.workflow.getHandle(`${handle.workflowId}/vtex`).query(syncStatusQuery);
    expect(status).toMatchObject({ counts: run.counts, doneWindows: run.progress.totalWindows, totalWindows: run.progress.totalWindows });
    // The batch woke identity resolution (started the tenant's ingest workflow).
    expect((await temporal.client.workflow.getHandle(ingestWorkflowId(a.tenantId)).describe()).status.name).toBe('RUNNING');
    const [conn] = await q('select status, last_sync_at, last_error from connections where id = $1', [a.connectionId]);
    expect(conn).toMatchObject({ status: 'active', last_error: null });
    expect(conn.last_sync_at).not.toBeNull();
  });

  it('incremental: only new orders and changed customers are fetched, nothing duplicated', { timeout: 120_000 }, async () => {
    const since = Date.now();
    const fresh = a.data.addOrders(40, { from: Date.now() - 60_000, to: Date.now() });
    for (const i of [1, 2, 3]) a.data.touchCustomer(a.data.customers.findIndex((c, k) => k >= i * 50 && c.inCl), Date.now());
    const handle = await startSync(a);
    await handle.result();
    if (process.env.RECORD_HISTORIES) {
      const history = await temporal.client.workflow.getHandle(`${handle.workflowId}/vtex`).fetchHistory();
      // A new file per workflow change that needs a patch: the older histories keep replaying the old branch.
      fs.writeFileSync(path.resolve('tests/histories/vtex-sync-workflow-windows.json'), historyToJSON(history));
    }

    expect(await stored(a.tenantId)).toEqual(truth(a.data));
    const details = a.fake.requestsFor('orders.get', since).map((r) => decodeURIComponent(r.path.split('/').pop()!));
    expect(details.sort()).toEqual(fresh.map((o) => o.orderId).sort());
    const run = await lastRun(a.connectionId);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.counts).toMatchObject({ inserted: 40, updated: 3, failed: 0 });
    // The catalog is not re-read within a day.
    expect(a.fake.requestsFor('catalog.search', since)).toEqual([]);
  });

  it('a worker stopped in the middle of a sync: a new worker finishes it, nothing lost or duplicated', { timeout: 240_000 }, async () => {
    const s = await store({ seed: 22, orders: 3000, days: 300 });
    const first = await testWorker(testDb.db);
    const handle = await startSync(s, first.taskQueue);
    await eventually(async () => (await stored(s.tenantId)).orders >= 800, 120_000, '800 orders stored');
    await first.stop();
    const midway = (await stored(s.tenantId)).orders;
    expect(midway).toBeLessThan(s.data.orders.length);
    const second = await testWorker(testDb.db, { taskQueue: first.taskQueue });
    try {
      await handle.result();
    } finally {
      await second.stop();
    }
    expect(await stored(s.tenantId)).toEqual(truth(s.data));
    const run = await lastRun(s.connectionId);
    expect(run).toMatchObject({ status: 'succeeded' });
    const clDocs = s.data.customers.filter((c) => c.inCl).length;
    // Pages committed before the stop are not counted twice.
    expect(run.counts.fetched).toBe(clDocs + s.data.orders.length + s.data.products.length);
    expect(run.counts.inserted + run.counts.updated + run.counts.skipped).toBe(run.counts.fetched);
  });

  it('injected 429s (Retry-After), 500s, resets and slow responses: the run completes with all data', { timeout: 240_000 }, async () => {
    const s = await store({ seed: 23, orders: 900, days: 200 });
    s.fake.inject('orders.get', { kind: '429', retryAfterSeconds: 1 }, { times: 2, after: 30 });
    s.fake.inject('orders.get', { kind: '500' }, { times: 2, after: 200 });
    s.fake.inject('orders.get', { kind: 'reset' }, { times: 1, after: 400 });
    s.fake.inject('orders.get', { kind: 'slow', ms: 300 }, { times: 5, after: 100 });
    s.fake.inject('orders.list', { kind: '500' }, { times: 1, after: 2 });
    s.fake.inject('orders.list', { kind: '429', retryAfterSeconds: 2 }, { times: 1, after: 4 });
    s.fake.inject('cl.scroll', { kind: '429', retryAfterSeconds: 1 }, { times: 1 });
    s.fake.inject('cl.search', { kind: '500' }, { times: 1 });
    s.fake.inject('catalog.search', { kind: 'reset' }, { times: 1 });
    await (await startSync(s)).result();

    expect(await stored(s.tenantId)).toEqual(truth(s.data));
    const statuses = s.fake.requests.map((r) => r.status);
    expect(statuses.filter((x) => x === 429)).toHaveLength(4);
    expect(statuses.filter((x) => x === 500)).toHaveLength(4);
    expect(statuses.filter((x) => x === -1)).toHaveLength(2);
    const run = await lastRun(s.connectionId);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.counts.failed).toBe(0);
  });

  it('a wrong app token fails the run at once with a clear message and puts the connection in error', { timeout: 60_000 }, async () => {
    const s = await store({ seed: 24, orders: 50, days: 30, appToken: 'not-the-token' });
    const handle = await startSync(s);
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const run = await lastRun(s.connectionId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/VTEX refused the credentials \(HTTP 401\)/);
    const [conn] = await q('select status, last_error from connections where id = $1', [s.connectionId]);
    expect(conn.status).toBe('error');
    expect(conn.last_error).toMatch(/refused the credentials/);
    // No retry: one request, one attempt.
    expect(s.fake.requests.filter((r) => r.status === 401)).toHaveLength(1);
    const events = (await temporal.client.workflow.getHandle(`${handle.workflowId}/vtex`).fetchHistory()).events ?? [];
    const attempts = events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
    expect(attempts.every((n) => n === 1)).toBe(true);
  });

  it('continues as new with its state when a run reaches its page budget, and still stores everything once', { timeout: 180_000 }, async () => {
    const s = await store({ seed: 25, orders: 1200, days: 120 });
    const runId = await startSyncRun(testDb.db.$client, { tenantId: s.tenantId, connectionId: s.connectionId, workflowId: `direct:${s.connectionId}`, workflowRunId: 'r', trigger: 'manual' });
    const handle = await temporal.client.workflow.start<typeof vtexSyncWorkflow>('vtexSyncWorkflow', {
      workflowId: `vtex-direct:${s.connectionId}`,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: s.tenantId, connectionId: s.connectionId, runId, state: { stage: 'plan', counts: emptyCounts(), maxPagesPerRun: 4 } }],
    });
    const counts = await handle.result();
    expect(await stored(s.tenantId)).toEqual(truth(s.data));
    const clDocs = s.data.customers.filter((c) => c.inCl).length;
    expect(counts.fetched).toBe(clDocs + s.data.orders.length + s.data.products.length);
    const first = (await temporal.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory()).events ?? [];
    expect(first.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    const [run] = await q('select counts from sync_runs where id = $1', [runId]);
    expect(run.counts).toEqual(counts);
  });
});
