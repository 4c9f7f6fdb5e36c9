// Write-back of scores and segments to VTEX Master Data CL: configured custom fields, only what changed,
// idempotent, rate-limited, as its own workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePendingIdentities } from '#db/queries/identity.ts';
import type { connectionSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import type { vtexWriteBackWorkflow } from '#workflows/connectors/vtex-write-back.workflow.ts';
import type { FakeVtex } from '../fakes/vtex.ts';
import { createTestDatabase } from '../support/db.ts';
import { temporalClient, testWorker } from '../support/temporal.ts';
import { vtexStore } from '../support/vtex.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let fake: FakeVtex | undefined;

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  worker = await testWorker(testDb.db);
});
afterAll(async () => {
  await worker?.stop();
  await fake?.stop();
  await temporal?.close();
  await testDb?.drop();
});

const q = async (sql: string, params: unknown[] = []) => (await testDb.db.$client.query(sql, params)).rows;

describe('vtexWriteBackWorkflow', () => {
  it('PATCHes the configured CL fields of customers with a VTEX profile, only what changed, and a rerun sends nothing', { timeout: 180_000 }, async () => {
    const s = await vtexStore(testDb.db, {
      seed: 41,
      orders: 150,
      days: 30,
      customers: 120,
      config: { writeBack: { enabled: true, fields: { rfmSegment: 'cdpRfmSegment', clv: 'cdpClv', segments: 'cdpSegments' }, requestsPerSecond: 50 } },
    });
    fake = s.fake;
    await temporal.client.workflow.execute<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
      workflowId: `wb-sync:${s.connectionId}`,
      taskQueue: worker.taskQueue,
      args: [{ tenantId: s.tenantId, connectionId: s.connectionId, trigger: 'manual' }],
    });
    while ((await resolvePendingIdentities(testDb.db, s.tenantId, 1000)).profiles > 0);
    // Until scoring (issue 5) writes them, scores live in customers.attributes under the same names.
    await q(
      `update customers set attributes = attributes || jsonb_build_object('rfmSegment', 'champions', 'clv', 12345.5, 'segments', jsonb_build_array('vip', 'alto-valor'))
       where tenant_id = $1 and id in (select customer_id from source_profiles where tenant_id = $1 and attributes ? 'vtexClId')`,
      [s.tenantId],
    );
    const targets = await q(`select distinct attributes->>'vtexClId' as cl from source_profiles where tenant_id = $1 and attributes ? 'vtexClId'`, [s.tenantId]);
    expect(targets.length).toBe(s.data.customers.filter((c) => c.inCl).length);

    const run = (n: number) =>
      temporal.client.workflow.execute<typeof vtexWriteBackWorkflow>('vtexWriteBackWorkflow', {
        workflowId: `wb:${s.connectionId}:${n}`,
        taskQueue: worker.taskQueue,
        args: [{ tenantId: s.tenantId, connectionId: s.connectionId }],
      });
    const first = await run(1);
    expect(first).toMatchObject({ customers: targets.length, written: targets.length, unchanged: 0, failed: 0 });
    expect(new Set(s.fake.patches.map((p) => p.id))).toEqual(new Set(targets.map((t) => t.cl)));
    expect(s.fake.patches.every((p) => JSON.stringify(p.body) === JSON.stringify({ cdpRfmSegment: 'champions', cdpClv: 12345.5, cdpSegments: 'alto-valor,vip' }))).toBe(true);
    const c = s.fake.data.byClId.get(targets[0]!.cl)!;
    expect(c.custom).toEqual({ cdpRfmSegment: 'champions', cdpClv: 12345.5, cdpSegments: 'alto-valor,vip' });

    // Idempotent: nothing changed, nothing sent.
    const second = await run(2);
    expect(second).toMatchObject({ written: 0, unchanged: targets.length });
    expect(s.fake.patches).toHaveLength(targets.length);

    // One customer's segment changes: one PATCH, with that field only.
    await q(
      `update customers set attributes = attributes || '{"rfmSegment":"at_risk"}'::jsonb
       where id = (select customer_id from source_profiles where tenant_id = $1 and attributes->>'vtexClId' = $2)`,
      [s.tenantId, targets[0]!.cl],
    );
    const third = await run(3);
    expect(third).toMatchObject({ written: 1 });
    expect(s.fake.patches.at(-1)).toMatchObject({ id: targets[0]!.cl, body: { cdpRfmSegment: 'at_risk' } });
    expect(Object.keys(s.fake.patches.at(-1)!.body)).toEqual(['cdpRfmSegment']);
  });
});
