// The per-tenant hourly Schedule that recomputes time-relative segments, on a real Temporal server: created, then
// updated in place (ScheduleAlreadyRunning), for every tenant on reconcile.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSegmentSchedules, upsertSegmentSchedule } from '#app/server/segments.server.ts';
import { segmentScheduleId } from '#workflows/segments/segments.contract.ts';
import { createTestDatabase } from '../support/db.ts';
import { temporalClient } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
const created: string[] = [];
beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
});
afterAll(async () => {
  for (const id of created) await temporal.client.schedule.getHandle(segmentScheduleId(id)).delete().catch(() => {});
  await temporal?.close();
  await testDb?.drop();
});

describe('hourly segment schedule', () => {
  it('is created hourly for time-relative rules, then updated in place', async () => {
    const { tenant } = await seedTenant(testDb.db);
    created.push(tenant.id);
    expect(await upsertSegmentSchedule(temporal.client, tenant.id, 'test-segments')).toBe('created');
    const d = await temporal.client.schedule.getHandle(segmentScheduleId(tenant.id)).describe();
    expect(d.spec.intervals).toEqual([{ every: 3_600_000, offset: 17 * 60_000 }]);
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'segmentRecomputeWorkflow', taskQueue: 'test-segments', args: [{ tenantId: tenant.id, reason: 'schedule', timeDependentOnly: true }] });
    expect(await upsertSegmentSchedule(temporal.client, tenant.id, 'test-segments')).toBe('updated');
  });

  it('reconciles every tenant', async () => {
    const { tenant } = await seedTenant(testDb.db);
    created.push(tenant.id);
    const deps = { db: testDb.db, temporal: async () => temporal.client, taskQueue: 'test-segments' };
    expect(await reconcileSegmentSchedules(deps, { tenantId: tenant.id })).toEqual({ checked: 1, created: 1, updated: 0, failed: [] });
    expect(await reconcileSegmentSchedules(deps, { tenantId: tenant.id })).toEqual({ checked: 1, created: 0, updated: 1, failed: [] });
  });
});
