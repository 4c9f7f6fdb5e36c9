// Runs of one connection are strictly serial: a schedule tick (scheduledSyncWorkflow) and "sync now"
// (syncNowFor) both run connectionSyncWorkflow under the connection's one run id, on the real Temporal server
// against the fake VTEX. The second trigger joins the run in flight; nothing is synced twice at the same time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncNowFor, type ConnectionsDeps } from '#app/server/connections.server.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { syncRunWorkflowId } from '#workflows/connectors/sync.contract.ts';
import type { scheduledSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import type { FakeVtex } from '../fakes/vtex.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
import { storedOrders, storeTruth, vtexStore } from '../support/vtex.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let deps: ConnectionsDeps;
const fakes: FakeVtex[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  worker = await testWorker(testDb.db);
  deps = { db: testDb.db, keyring: credentialsKeyring, temporal: async () => temporal.client, taskQueue: worker.taskQueue };
});
afterAll(async () => {
  await worker?.stop();
  for (const f of fakes) await f.stop();
  await temporal?.close();
  await testDb?.drop();
});

const q = async <T = any>(sql: string, params: unknown[] = []) => (await testDb.db.$client.query(sql, params)).rows as T[];
const syncRuns = (connectionId: string) =>
  q<{ trigger: string; status: string; workflow_id: string; workflow_run_id: string; started_at: Date; finished_at: Date | null }>(
    'select trigger, status, workflow_id, workflow_run_id, counts, started_at, finished_at from sync_runs where connection_id = $1 order by started_at',
    [connectionId],
  );

let ticks = 0;
/** What the connection's Temporal Schedule does on a tick (its workflow id gets the tick's time appended). */
function scheduleTick(s: { tenantId: string; connectionId: string }) {
  return temporal.client.workflow.start<typeof scheduledSyncWorkflow>('scheduledSyncWorkflow', {
    workflowId: `sync:${s.connectionId}:schedule-${Date.now()}-${++ticks}`,
    taskQueue: worker.taskQueue,
    args: [{ tenantId: s.tenantId, connectionId: s.connectionId, trigger: 'schedule' }],
  });
}

/** The connection's run in flight (RUNNING under the run id), once it is. */
const runningRun = (connectionId: string) =>
  eventually(async () => {
    const d = await temporal.client.workflow.getHandle(syncRunWorkflowId(connectionId)).describe();
    return d.status.name === 'RUNNING' && d;
  }, 30_000, 'a running sync');

describe('runs of one connection', () => {
  it('a manual sync while a scheduled run is in flight joins it; a tick during a manual run joins that; never two at once', { timeout: 180_000 }, async () => {
    const s = await vtexStore(testDb.db, { seed: 71, orders: 1500, days: 120 });
    fakes.push(s.fake);
    // Slow order details keep each run in flight long enough for the second trigger to arrive.
    s.fake.inject('orders.get', { kind: 'slow', ms: 150 }, { times: 200 });

    // 1. Scheduled run in flight, then "sync now": joined, reported as such, one run recorded.
    const tick = await scheduleTick(s);
    const inFlight = await runningRun(s.connectionId);
    expect(inFlight.parentExecution?.workflowId).toBe(tick.workflowId);
    const manual = await syncNowFor(s.tenantId, s.connectionId, deps);
    expect(manual).toMatchObject({ workflowId: syncRunWorkflowId(s.connectionId), runId: inFlight.runId, alreadyRunning: true });
    const ticked = await tick.result();
    expect(ticked).toMatchObject({ workflowId: syncRunWorkflowId(s.connectionId), joined: false, counts: { failed: 0 } });
    expect(await storedOrders(testDb.db, s.tenantId)).toEqual(storeTruth(s.data));
    expect((await syncRuns(s.connectionId)).map((r) => [r.trigger, r.status, r.workflow_run_id])).toEqual([['schedule', 'succeeded', inFlight.runId]]);

    // 2. New orders; "sync now" starts a run and a schedule tick during it joins instead of running a second one.
    const now = Date.now();
    s.data.addOrders(400, { from: now - 5 * 60_000, to: now });
    s.fake.inject('orders.get', { kind: 'slow', ms: 150 }, { times: 100 });
    const started = await syncNowFor(s.tenantId, s.connectionId, deps);
    expect(started).toMatchObject({ workflowId: syncRunWorkflowId(s.connectionId), alreadyRunning: false });
    const lateTick = await scheduleTick(s);
    expect(await lateTick.result()).toEqual({ workflowId: syncRunWorkflowId(s.connectionId), joined: true });
    await temporal.client.workflow.getHandle(started.workflowId, started.runId).result();
    expect(await storedOrders(testDb.db, s.tenantId)).toEqual(storeTruth(s.data));

    // 3. A click and a tick at the same moment: one run between them.
    const [raceTick, raceClick] = await Promise.all([scheduleTick(s), syncNowFor(s.tenantId, s.connectionId, deps)]);
    const raced = await raceTick.result();
    expect(raced.workflowId).toBe(raceClick.workflowId);
    expect(raced.joined).toBe(!raceClick.alreadyRunning);
    await temporal.client.workflow.getHandle(raceClick.workflowId, raceClick.runId).result();

    const runs = await syncRuns(s.connectionId);
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([
      ['schedule', 'succeeded'],
      ['manual', 'succeeded'],
      [raceClick.alreadyRunning ? 'schedule' : 'manual', 'succeeded'],
    ]);
    expect(runs[1]!.workflow_run_id).toBe(started.runId);
    // Strictly one after another.
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finished_at!.getTime());
    expect(await storedOrders(testDb.db, s.tenantId)).toEqual(storeTruth(s.data));
  });
});
