// The per-tenant nightly scoring Schedule on a real Temporal server: created at 02:00 in the tenant's time zone,
// overlap SKIP, one day of catch-up; updated (not duplicated) when the settings change; reconciled for every tenant.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteScoringSchedule, reconcileScoringSchedules, upsertScoringSchedule } from '#app/server/scoring.server.ts';
import { scoringScheduleId } from '#workflows/scoring/scoring.contract.ts';
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
  for (const id of created) await deleteScoringSchedule(temporal.client, id).catch(() => {});
  await temporal?.close();
  await testDb?.drop();
});

describe('nightly scoring schedule', () => {
  it('is created at 02:00 in the tenant time zone, then updated in place when the settings change', async () => {
    const { tenant } = await seedTenant(testDb.db);
    created.push(tenant.id);
    const t = { id: tenant.id, timezone: 'America/Argentina/Cordoba', settings: {} };
    expect(await upsertScoringSchedule(temporal.client, t, 'test-scoring')).toBe('created');
    const handle = temporal.client.schedule.getHandle(scoringScheduleId(tenant.id));
    let d = await handle.describe();
    expect(d.spec.timezone).toBe('America/Argentina/Cordoba');
    expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.policies.catchupWindow).toBe(86_400_000);
    expect(d.state.paused).toBe(false);
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'nightlyScoringWorkflow', taskQueue: 'test-scoring', args: [{ tenantId: tenant.id, trigger: 'schedule' }] });

    // Same id again: ScheduleAlreadyRunning → update, with the new time and the switch-off honoured.
    expect(await upsertScoringSchedule(temporal.client, { ...t, settings: { scoring: { scheduleTime: '03:30', scheduleEnabled: false } } }, 'test-scoring')).toBe('updated');
    d = await handle.describe();
    expect(d.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] })]);
    expect(d.state.paused).toBe(true);
  });

  it('reconciles every tenant: missing schedules are created, existing ones updated; the default zone is the tenant’s', async () => {
    const { tenant } = await seedTenant(testDb.db);
    created.push(tenant.id);
    const deps = { db: testDb.db, temporal: async () => temporal.client, taskQueue: 'test-scoring' };
    const first = await reconcileScoringSchedules(deps, { tenantId: tenant.id });
    expect(first).toEqual({ checked: 1, created: 1, updated: 0, failed: [] });
    const second = await reconcileScoringSchedules(deps, { tenantId: tenant.id });
    expect(second).toEqual({ checked: 1, created: 0, updated: 1, failed: [] });
    const d = await temporal.client.schedule.getHandle(scoringScheduleId(tenant.id)).describe();
    expect(d.spec.timezone).toBe('America/Argentina/Buenos_Aires');
  });
});
