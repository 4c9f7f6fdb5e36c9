// The ingest workflow on a real Temporal server with real activities over a real database.
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowIdConflictPolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, upsertProfiles } from '#db/queries/ingest.ts';
import { ingestStatusQuery, ingestWorkflowId, newDataSignal } from '#workflows/ingest/ingest.contract.ts';
import type { ingestWorkflow } from '#workflows/ingest/ingest.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { createTestDatabase } from '../support/db.ts';
import { eventually, temporalClient, testWorker } from '../support/temporal.ts';
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

const customersOf = async (tenantId: string) =>
  (await testDb.db.$client.query('select * from customers where tenant_id = $1 order by email', [tenantId])).rows;

async function wake(client: Client, tenantId: string, maxPassesPerRun?: number) {
  return client.workflow.signalWithStart<typeof ingestWorkflow>('ingestWorkflow', {
    workflowId: ingestWorkflowId(tenantId),
    taskQueue: worker.taskQueue,
    args: [{ tenantId, ...(maxPassesPerRun ? { maxPassesPerRun } : {}) }],
    signal: newDataSignal,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
  });
}

describe('ingestWorkflow', () => {
  let handle: WorkflowHandle<typeof ingestWorkflow>;
  let tenantId: string;

  it('turns new profiles into customers, one per profile, and is searchable by TenantId', async () => {
    ({ tenant: { id: tenantId } } = await seedTenant(testDb.db));
    await upsertProfiles(testDb.db.$client, tenantId, 'erp', [
      { externalId: 'c-1', email: 'ana@example.com', firstName: 'Ana', dni: '30123456' },
      { externalId: 'c-2', email: 'bruno@example.com', lastName: 'Paz' },
    ]);
    handle = await wake(temporal.client, tenantId);
    const customers = await eventually(async () => {
      const rows = await customersOf(tenantId);
      return rows.length === 2 && rows;
    }, 20_000, 'two customers');
    expect(customers.map((c) => [c.email, c.first_name, c.document_number])).toEqual([
      ['ana@example.com', 'Ana', '30123456'],
      ['bruno@example.com', null, null],
    ]);
    const pending = await testDb.db.$client.query('select count(*)::int as n from source_profiles where tenant_id = $1 and pending_resolution', [tenantId]);
    expect(pending.rows[0].n).toBe(0);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(TenantIdKey)).toBe(tenantId);
    const listed = await eventually(async () => {
      // The ingest pass also wakes the tenant's activation workflow (segments, journeys), tagged the same way.
      for await (const wf of temporal.client.workflow.list({ query: `TenantId = '${tenantId}' AND WorkflowType = 'ingestWorkflow'` })) return wf;
      return undefined;
    }, 10_000, 'visibility');
    expect(listed.workflowId).toBe(ingestWorkflowId(tenantId));
  });

  it('updates the same customer when a profile changes, and folds identify events into profiles', async () => {
    await upsertProfiles(testDb.db.$client, tenantId, 'erp', [{ externalId: 'c-1', email: 'ana.new@example.com', firstName: 'Ana' }]);
    await insertEvents(
      testDb.db.$client,
      tenantId,
      [{ type: 'identify', messageId: 'm-1', userId: 'u-9', traits: { email: 'carla@example.com', firstName: 'Carla', plan: 'gold' } }],
      new Date(),
    );
    await wake(temporal.client, tenantId);
    const customers = await eventually(async () => {
      const rows = await customersOf(tenantId);
      return rows.length === 3 && rows.some((r) => r.email === 'ana.new@example.com') && rows;
    }, 20_000, 'updated customers');
    expect(customers.map((c) => c.email)).toEqual(['ana.new@example.com', 'bruno@example.com', 'carla@example.com']);
    const carla = customers.find((c) => c.email === 'carla@example.com');
    expect(carla.attributes).toEqual({ plan: 'gold' });
    expect(carla.field_sources.email.source).toBe('events');
    const status = await handle.query(ingestStatusQuery);
    expect(status.profilesResolved).toBe(4);
    expect(status.customersCreated).toBe(3);
    expect(status.identifyEventsFolded).toBe(1);
  });

  it('continues as new with its status when a run reaches its pass limit', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const first = await wake(temporal.client, tenant.id, 2);
    const firstRunId = (await first.describe()).runId;
    await upsertProfiles(testDb.db.$client, tenant.id, 'vtex', [{ externalId: 'v-1', email: 'dora@example.com' }]);
    await wake(temporal.client, tenant.id, 2);
    const h = temporal.client.workflow.getHandle<typeof ingestWorkflow>(ingestWorkflowId(tenant.id));
    const status = await eventually(async () => {
      const d = await h.describe();
      return d.runId !== firstRunId && d.status.name === 'RUNNING' && (await h.query(ingestStatusQuery));
    }, 20_000, 'continue-as-new');
    expect(status.passes).toBeGreaterThanOrEqual(2);
    expect(status.customersCreated).toBe(1);
    await h.terminate('test done');
  });

  it('records its history for the replay test', async () => {
    await handle.terminate('test done');
    const history = await handle.fetchHistory();
    expect(history.events?.length).toBeGreaterThan(5);
    // Regenerate the committed history with RECORD_HISTORIES=1 after an intended workflow change.
    if (process.env.RECORD_HISTORIES) {
      const file = path.resolve('tests/histories/ingest-workflow.json');
      fs.writeFileSync(file, historyToJSON(history));
    }
  });
});
