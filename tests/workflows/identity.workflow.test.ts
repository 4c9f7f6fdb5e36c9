// Identity workflows on a real Temporal server with real activities over a real database.
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, ActivityFailure, WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProfiles } from '#db/queries/ingest.ts';
import { resolvePendingIdentities } from '#db/queries/identity.ts';
import { fullResolutionProgressQuery } from '#workflows/identity/identity.contract.ts';
import type { identityResolutionWorkflow, mergeCustomersWorkflow, unmergeCustomerWorkflow } from '#workflows/identity/identity.workflow.ts';
import { createTestDatabase } from '../support/db.ts';
import { temporalClient, testWorker } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
beforeAll(async () => {
  testDb = await createTestDatabase();
  worker = await testWorker(testDb.db);
  temporal = await temporalClient();
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

const record = async (name: string, workflowId: string) => {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  fs.writeFileSync(path.resolve(`tests/histories/${name}.json`), historyToJSON(history));
};

describe('identity workflows', () => {
  it('full re-resolution walks every profile and merges what the current rules match', async () => {
    const { tenant } = await seedTenant(testDb.db);
    await upsertProfiles(testDb.db.$client, tenant.id, 'erp', [
      { externalId: 'a', email: 'x@example.com' },
      { externalId: 'b', dni: '30999888' },
    ]);
    while ((await resolvePendingIdentities(testDb.db, tenant.id, 100)).profiles > 0);
    // A third profile bridges the two; re-resolution must find it even though it is not pending.
    await upsertProfiles(testDb.db.$client, tenant.id, 'vtex', [{ externalId: 'c', email: 'x@example.com', dni: '30999888' }]);
    const workflowId = `identity-resolve-test:${tenant.id}`;
    const handle = await temporal.client.workflow.start<typeof identityResolutionWorkflow>('identityResolutionWorkflow', {
      workflowId,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: tenant.id, requestedBy: 'test' }],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ total: 3, done: 3, customersMerged: 1 });
    expect(await handle.query(fullResolutionProgressQuery)).toEqual(result);
    const customers = await testDb.db.$client.query('select count(*)::int as n from customers where tenant_id = $1', [tenant.id]);
    expect(customers.rows[0].n).toBe(1);
    await record('identity-resolution-workflow', workflowId);
  });

  it('merge and unmerge run as workflows; bad input fails at once, without retries', async () => {
    const { tenant } = await seedTenant(testDb.db);
    await upsertProfiles(testDb.db.$client, tenant.id, 'erp', [
      { externalId: 'p', email: 'p@example.com' },
      { externalId: 'q', email: 'q@example.com' },
    ]);
    while ((await resolvePendingIdentities(testDb.db, tenant.id, 100)).profiles > 0);
    const { rows } = await testDb.db.$client.query<{ id: string; customer_id: string }>(
      'select id, customer_id from source_profiles where tenant_id = $1 order by external_id',
      [tenant.id],
    );
    const [p, q] = rows as [{ id: string; customer_id: string }, { id: string; customer_id: string }];
    const mergeId = `merge-test:${tenant.id}`;
    const merged = await temporal.client.workflow.execute<typeof mergeCustomersWorkflow>('mergeCustomersWorkflow', {
      workflowId: mergeId,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: tenant.id, customerId: p.customer_id, otherCustomerId: q.customer_id, actor: 'user:test', reason: 'test merge' }],
    });
    expect([merged.survivorId, merged.absorbedId].sort()).toEqual([p.customer_id, q.customer_id].sort());
    await record('merge-customers-workflow', mergeId);

    const moved = merged.absorbedId === p.customer_id ? p.id : q.id;
    const unmergeId = `unmerge-test:${tenant.id}`;
    const un = await temporal.client.workflow.execute<typeof unmergeCustomerWorkflow>('unmergeCustomerWorkflow', {
      workflowId: unmergeId,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: tenant.id, customerId: merged.survivorId, sourceProfileIds: [moved], actor: 'user:test', reason: 'test unmerge' }],
    });
    expect(un).toMatchObject({ restored: true, restoredCustomerId: merged.absorbedId });
    await record('unmerge-customer-workflow', unmergeId);

    const failing = temporal.client.workflow.execute<typeof mergeCustomersWorkflow>('mergeCustomersWorkflow', {
      workflowId: `merge-self:${tenant.id}`,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: tenant.id, customerId: p.customer_id, otherCustomerId: p.customer_id, actor: 'user:test', reason: 'self' }],
    });
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activity = (err as WorkflowFailedError).cause as ActivityFailure;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity.cause).toBeInstanceOf(ApplicationFailure);
    expect((activity.cause as ApplicationFailure).type).toBe('conflict');
    const events = (await temporal.client.workflow.getHandle(`merge-self:${tenant.id}`).fetchHistory()).events ?? [];
    const started = events.filter((e) => e.activityTaskStartedEventAttributes);
    expect(started[0]?.activityTaskStartedEventAttributes?.attempt).toBe(1);
  });
});
