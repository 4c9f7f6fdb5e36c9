// VTEX order status changes: Feed v3 (handles committed only after the database commit, uncommitted items
// re-delivered and applied again) and the order Hook (setup ping, secret header, inbox, inbox workflow).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleVtexHook } from '#app/server/vtex-hook.server.ts';
import { loadConnection } from '#db/queries/connections.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import type { connectionSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import { vtexInboxSignal, vtexInboxWorkflowId } from '#workflows/connectors/vtex.contract.ts';
import type { vtexConfigureHookWorkflow } from '#workflows/connectors/vtex-hook.workflow.ts';
import type { FakeVtex } from '../fakes/vtex.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
import { vtexStore } from '../support/vtex.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let hookServer: http.Server;
let hookBase: string;
const fakes: FakeVtex[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  worker = await testWorker(testDb.db);
  // The route module's handler behind a plain HTTP server, waking the inbox workflow on this test's queue.
  const deps = {
    db: testDb.db,
    keyring: credentialsKeyring(),
    wake: (tenantId: string, connectionId: string) =>
      void temporal.client.workflow.signalWithStart('vtexInboxWorkflow', {
        workflowId: vtexInboxWorkflowId(connectionId),
        taskQueue: worker.taskQueue,
        args: [{ tenantId, connectionId }],
        signal: vtexInboxSignal,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      }),
  };
  hookServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const m = /^\/webhooks\/vtex\/([^/?]+)/.exec(req.url ?? '');
      const request = new Request(`http://cdp${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      });
      const response = await handleVtexHook(request, m?.[1] ?? '', deps);
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' });
      res.end(await response.text());
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  hookBase = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await worker?.stop();
  hookServer?.close();
  for (const f of fakes) await f.stop();
  await temporal?.close();
  await testDb?.drop();
});

const q = async (sql: string, params: unknown[] = []) => (await testDb.db.$client.query(sql, params)).rows;
let runs = 0;
const sync = async (s: { tenantId: string; connectionId: string }) =>
  temporal.client.workflow.execute<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
    workflowId: `vtex-status-test:${s.connectionId}:${++runs}`,
    taskQueue: worker.taskQueue,
    args: [{ tenantId: s.tenantId, connectionId: s.connectionId, trigger: 'manual' }],
  });
const statuses = async (tenantId: string) =>
  new Map((await q('select external_id, status from orders where tenant_id = $1', [tenantId])).map((r) => [r.external_id as string, r.status as string]));
const lastRun = async (connectionId: string) => (await q('select * from sync_runs where connection_id = $1 order by started_at desc limit 1', [connectionId]))[0];

describe('VTEX Feed v3', () => {
  it('applies status changes, commits handles only after the database commit, and re-applies what was not committed', { timeout: 180_000 }, async () => {
    const s = await vtexStore(testDb.db, { seed: 31, orders: 300, days: 60 });
    fakes.push(s.fake);
    await sync(s);
    // The first sync configured the feed before backfilling.
    expect(s.fake.feedConfig?.filter.status).toContain('invoiced');

    const changed = s.fake.data.orders.filter((o) => o.status !== 'canceled').slice(0, 25);
    for (const o of changed) await s.fake.changeStatus(o.orderId, 'canceled');
    expect(s.fake.pendingFeedItems()).toBe(25);
    // The first batch's commit fails after its transaction committed: VTEX keeps those 10 items.
    s.fake.inject('feed.commit', { kind: '500' }, { times: 1 });
    await sync(s);
    const after = await statuses(s.tenantId);
    for (const o of changed) expect(after.get(o.orderId)).toBe('canceled');
    expect(s.fake.pendingFeedItems()).toBe(10);
    const commits = s.fake.requestsFor('feed.commit');
    expect(commits.map((r) => r.status)).toEqual([500, 200, 200]);

    // After the visibility timeout VTEX delivers them again: applied again (unchanged) and committed this time.
    s.fake.advance(241_000);
    await sync(s);
    expect(s.fake.pendingFeedItems()).toBe(0);
    const run = await lastRun(s.connectionId);
    expect(run.status).toBe('succeeded');
    expect(run.counts.fetched).toBeGreaterThanOrEqual(10);
    expect(await statuses(s.tenantId)).toEqual(after);
  });
});

describe('VTEX order hook', () => {
  it('configures the hook with a generated secret, answers the ping, and applies notifications through the inbox', { timeout: 180_000 }, async () => {
    const s = await vtexStore(testDb.db, { seed: 32, orders: 120, days: 30 });
    fakes.push(s.fake);
    await sync(s);
    const url = `${hookBase}/webhooks/vtex/${s.connectionId}`;
    await temporal.client.workflow.execute<typeof vtexConfigureHookWorkflow>('vtexConfigureHookWorkflow', {
      workflowId: `vtex-hook-config:${s.connectionId}`,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: s.tenantId, connectionId: s.connectionId, url }],
    });
    const conn = await loadConnection(testDb.db.$client, credentialsKeyring(), s.connectionId);
    const secret = conn!.credentials.hookSecret as string;
    expect(secret.length).toBeGreaterThanOrEqual(24);
    expect(s.fake.hookConfig?.hook).toEqual({ url, headers: { 'x-cdp-secret': secret } });

    const targets = s.fake.data.orders.filter((o) => o.status !== 'invoiced').slice(0, 5);
    for (const o of targets) await s.fake.changeStatus(o.orderId, 'invoiced');
    expect(s.fake.hookDeliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    await eventually(async () => {
      const now = await statuses(s.tenantId);
      return targets.every((o) => now.get(o.orderId) === 'invoiced');
    }, 60_000, 'hook notifications applied');
    const inbox = await q('select resource, processed_at, error from webhook_inbox where connection_id = $1', [s.connectionId]);
    expect(inbox.map((r) => r.resource).sort()).toEqual(targets.map((o) => o.orderId).sort());
    expect(inbox.every((r) => r.processed_at !== null && r.error === null)).toBe(true);

    const post = (body: unknown, headers: Record<string, string> = { 'x-cdp-secret': secret }, path = `/webhooks/vtex/${s.connectionId}`) =>
      fetch(hookBase + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const notification = {
      Domain: 'Marketplace',
      OrderId: targets[0]!.orderId,
      State: 'invoiced',
      LastState: 'handling',
      LastChange: '2026-01-01T00:00:00.0000000Z',
      CurrentChange: 'same-change',
      Origin: { Account: s.fake.account, Key: s.fake.appKey },
    };
    // Retried deliveries are stored once.
    expect(await (await post(notification)).json()).toEqual({ ok: true, duplicate: false });
    expect(await (await post(notification)).json()).toEqual({ ok: true, duplicate: true });
    expect((await post({ hookConfig: 'ping' }, {})).status).toBe(200);
    expect((await post(notification, {})).status).toBe(401);
    expect((await post(notification, { 'x-cdp-secret': 'wrong' })).status).toBe(401);
    expect((await post({ ...notification, Origin: { Account: 'another', Key: 'k' } })).status).toBe(403);
    expect((await post({ OrderId: 42 })).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(notification, { 'x-cdp-secret': secret }, '/webhooks/vtex/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await fetch(`${hookBase}/webhooks/vtex/${s.connectionId}`)).status).toBe(405);
    await eventually(async () => (await q('select count(*)::int as n from webhook_inbox where connection_id = $1 and processed_at is null', [s.connectionId]))[0].n === 0, 60_000, 'inbox drained');
  });

  it('VTEX refuses the configuration when the URL does not answer the ping; the old secret stays', { timeout: 60_000 }, async () => {
    const s = await vtexStore(testDb.db, { seed: 33, orders: 10, days: 10 });
    fakes.push(s.fake);
    const failed = temporal.client.workflow.execute<typeof vtexConfigureHookWorkflow>('vtexConfigureHookWorkflow', {
      workflowId: `vtex-hook-config:${s.connectionId}`,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: s.tenantId, connectionId: s.connectionId, url: 'http://127.0.0.1:9/webhooks/vtex/unreachable' }],
    });
    await expect(failed).rejects.toThrow();
    expect(s.fake.hookConfig).toBeUndefined();
    const conn = await loadConnection(testDb.db.$client, credentialsKeyring(), s.connectionId);
    expect(conn!.credentials.hookSecret).toBeUndefined();
  });
});
