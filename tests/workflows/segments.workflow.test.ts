// Segments on a real Temporal server with real activities over a real database: the recompute workflow, and the
// activation loop driving the incremental refresh (journey dispatch is ENG's; it is stubbed here).
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '#activities/index.ts';
import { eventBatch } from '#core/ingest/events.ts';
import { insertEvents, upsertProfiles } from '#db/queries/ingest.ts';
import { createSegment } from '#db/queries/segments.ts';
import { activationChangesSignal, activationStatusQuery, activationWorkflowId, type DispatchResult } from '#workflows/activation/activation.contract.ts';
import type { activationWorkflow } from '#workflows/activation/activation.workflow.ts';
import { ingestWorkflowId, newDataSignal } from '#workflows/ingest/ingest.contract.ts';
import type { ingestWorkflow } from '#workflows/ingest/ingest.workflow.ts';
import type { segmentRecomputeWorkflow } from '#workflows/segments/segments.workflow.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
const idle = async (): Promise<DispatchResult> => ({ read: 0, started: 0, signalled: 0, more: false });
const started: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  worker = await testWorker(testDb.db, { activities: { ...createActivities({ db: testDb.db }), dispatchEvents: idle, dispatchSegmentChanges: idle } });
  temporal = await temporalClient();
});
afterAll(async () => {
  for (const id of started) await temporal.client.workflow.getHandle(id).terminate('test done').catch(() => {});
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

const q = (sql: string, params: unknown[] = []) => testDb.db.$client.query(sql, params).then((r) => r.rows);
const members = async (segmentId: string) => (await q('select customer_id from segment_memberships where segment_id = $1 and exited_at is null', [segmentId])).map((r) => r.customer_id as string);

/** The tenant's activation loop on the test worker's queue (what signalActivation does on cdp-journeys). */
async function wakeActivation(tenantId: string) {
  const workflowId = activationWorkflowId(tenantId);
  if (!started.includes(workflowId)) started.push(workflowId);
  return temporal.client.workflow.signalWithStart<typeof activationWorkflow>('activationWorkflow', {
    workflowId,
    taskQueue: worker.taskQueue,
    args: [{ tenantId }],
    signal: activationChangesSignal,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}

describe('segment workflows', () => {
  it('segmentRecomputeWorkflow recomputes and wakes the activation loop', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const [c] = await q(`insert into customers (tenant_id, attributes) values ($1, '{"tier":"gold"}') returning id`, [tenant.id]);
    await q(`insert into customers (tenant_id, attributes) values ($1, '{"tier":"silver"}')`, [tenant.id]);
    const seg = await createSegment(testDb.db.$client, tenant.id, { name: 'Gold', definition: { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } } });
    const activation = await wakeActivation(tenant.id);
    const passesBefore = (await eventually(async () => ((await activation.query(activationStatusQuery)).passes >= 1 ? activation.query(activationStatusQuery) : undefined))).passes;

    const result = await temporal.client.workflow.execute<typeof segmentRecomputeWorkflow>('segmentRecomputeWorkflow', {
      workflowId: `segments-test:${seg.id}`,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: tenant.id, segmentIds: [seg.id], reason: 'created' }],
    });
    // The running loop may already have entered the customer (its feed re-reads the last seconds of changes); either
    // way the customer is a member once, with one logged entry.
    expect(result).toMatchObject({ exited: 0, segments: 1 });
    expect(await members(seg.id)).toEqual([c!.id]);
    expect(await q('select change from segment_membership_events where segment_id = $1', [seg.id])).toEqual([{ change: 'entered' }]);
    // notifyActivation signalled the running loop: it makes another pass.
    await eventually(async () => (await activation.query(activationStatusQuery)).passes > passesBefore, 20_000, 'an activation pass after the recompute');
  });

  it('a track event makes the customer a member through the activation loop', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const [c] = await q(`insert into customers (tenant_id) values ($1) returning id`, [tenant.id]);
    await q(`insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution) values ($1, 'events', 'u-1', $2, false)`, [tenant.id, c!.id]);
    const seg = await createSegment(testDb.db.$client, tenant.id, { name: 'Cart abandoners', definition: { kind: 'event', event: 'Cart Viewed', window: { kind: 'last_days', days: 1 } } });
    const activation = await wakeActivation(tenant.id);
    await eventually(async () => (await activation.query(activationStatusQuery)).passes >= 1);

    const { batch } = eventBatch.parse({ batch: [{ type: 'track', event: 'Cart Viewed', userId: 'u-1', messageId: 'm-1', properties: { cart_id: 'c-1' } }] });
    await insertEvents(testDb.db.$client, tenant.id, batch, new Date());
    await wakeActivation(tenant.id);
    await eventually(async () => (await members(seg.id)).length === 1, 20_000, 'the customer to enter');
    expect(await members(seg.id)).toEqual([c!.id]);
    const status = await activation.query(activationStatusQuery);
    expect(status.segmentEntries).toBe(1);
    const log = await q('select change from segment_membership_events where segment_id = $1', [seg.id]);
    expect(log).toEqual([{ change: 'entered' }]);
  });

  it('a profile resolved by the ingest workflow wakes the activation loop, which adds the new customer', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const seg = await createSegment(testDb.db.$client, tenant.id, { name: 'Rosario', definition: { kind: 'profile', field: 'address.city', predicate: { type: 'string', op: 'equals', value: 'Rosario' } } });
    const activation = await wakeActivation(tenant.id);
    await eventually(async () => (await activation.query(activationStatusQuery)).passes >= 1);

    await upsertProfiles(testDb.db.$client, tenant.id, 'erp', [{ externalId: 'p-1', email: 'ana@example.com', address: { city: 'Rosario' } }]);
    started.push(ingestWorkflowId(tenant.id));
    await temporal.client.workflow.signalWithStart<typeof ingestWorkflow>('ingestWorkflow', {
      workflowId: ingestWorkflowId(tenant.id),
      taskQueue: worker.taskQueue,
      args: [{ tenantId: tenant.id }],
      signal: newDataSignal,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    // Only the ingest workflow's notifyActivation wakes the loop here.
    await eventually(async () => (await members(seg.id)).length === 1, 30_000, 'the new customer to enter');
    const [customer] = await q('select id from customers where tenant_id = $1', [tenant.id]);
    expect(await members(seg.id)).toEqual([customer!.id]);
  });
});
