// The experiment workflow on a real Temporal server and database: a journey's experiment node takes its variants
// from a running experiment (sticky exposures), variant B converts better, the workflow picks B by itself and
// records why, and later entries all go to B; stop and declareWinner signals end experiments through the same path.
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentInput, metricDefinition } from '#core/experiments/definition.ts';
import type { ExperimentDecisionRecord } from '#core/experiments/results.ts';
import type { experimentWorkflow } from '#workflows/experiments/experiment.workflow.ts';
import { experimentEvaluateSignal, experimentStateQuery, experimentStopSignal, experimentWinnerSignal, experimentWorkflowId } from '#workflows/experiments/experiment.contract.ts';
import type { journeyRunWorkflow } from '#workflows/journeys/journey.workflow.ts';
import { journeyWorkflowId } from '#workflows/journeys/journey.contract.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { createTestDatabase } from '../support/db.ts';
import { createCustomer, entriesOf, journeyWorker, publishJourney, sendMessageDouble, stepsOf, trackEvent } from '../support/journey-engine.ts';
import { eventually, temporalClient } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let worker: Awaited<ReturnType<typeof journeyWorker>>;
let tenantId: string;
let metricId: string;
const q = (sql: string, params: unknown[] = []) => testDb.db.$client.query(sql, params).then((r) => r.rows);

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await temporalClient();
  worker = await journeyWorker(testDb.db, temporal.client, sendMessageDouble(testDb.db).sendMessage);
  tenantId = (await seedTenant(testDb.db, 'expwf')).tenant.id;
  const definition = metricDefinition.parse({ type: 'conversion', source: { kind: 'event', match: { event: 'purchase' } }, windowHours: 24 });
  metricId = (await q(`insert into experiment_metrics (tenant_id, key, name, definition) values ($1, 'purchase', 'Purchase', $2) returning id`, [tenantId, JSON.stringify(definition)]))[0]!.id as string;
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

/** RECORD_HISTORIES=1 refreshes the replay fixture (tests/workflows/replay.test.ts replays it). */
const record = async (name: string, workflowId: string) => {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  fs.writeFileSync(path.resolve(`tests/histories/${name}.json`), historyToJSON(history));
};

async function createExperiment(name: string, audience: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  const definition = experimentInput.parse({
    name,
    design: { kind: 'ab', variants: [{ key: 'A', name: 'Control', weight: 50 }, { key: 'B', name: 'New', weight: 50 }] },
    audience,
    primaryMetricId: metricId,
    minSamplePerVariant: 15,
    analysis: { evaluationIntervalMinutes: 60 },
    ...extra,
  });
  const rows = await q(`insert into experiments (tenant_id, name, status, definition, started_at) values ($1, $2, 'running', $3, now()) returning id`, [tenantId, name, JSON.stringify(definition)]);
  return rows[0]!.id as string;
}

async function startExperiment(experimentId: string) {
  return temporal.client.workflow.start<typeof experimentWorkflow>('experimentWorkflow', {
    workflowId: experimentWorkflowId(tenantId, experimentId),
    taskQueue: worker.taskQueue,
    args: [{ tenantId, experimentId }],
    typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
  });
}

const experimentRow = async (id: string) =>
  (await q(`select status, winner_variant, decision from experiments where id = $1`, [id]))[0] as { status: string; winner_variant: string | null; decision: ExperimentDecisionRecord | null };

async function runJourney(journeyId: string, customerId: string) {
  const handle = await temporal.client.workflow.start<typeof journeyRunWorkflow>('journeyRunWorkflow', {
    workflowId: journeyWorkflowId(tenantId, journeyId, customerId),
    taskQueue: worker.taskQueue,
    args: [{ tenantId, journeyId, version: 1, customerId, trigger: { kind: 'api', requestId: `r-${customerId}`, at: new Date().toISOString() } }],
  });
  return handle.result();
}

async function portOf(journeyId: string, customerId: string): Promise<string | null> {
  const entry = (await entriesOf(testDb.db, journeyId)).find((e) => e.customer_id === customerId)!;
  return (await stepsOf(testDb.db, entry.id)).find((s) => s.node_id === 'ab')?.port ?? null;
}

describe('experiment workflow', () => {
  it('on a journey experiment node: exposures are recorded, B converts better, B is picked automatically and gets all later traffic', async () => {
    const journeyId = await publishJourney(testDb.db, tenantId, {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'ab' },
        { id: 'ab', type: 'experiment', variants: [{ id: 'A', weight: 50, next: 'exit' }, { id: 'B', weight: 50, next: 'exit' }] },
        { id: 'exit', type: 'exit' },
      ],
      settings: {},
    });
    const experimentId = await createExperiment('Journey split', { kind: 'journey', journeyId, nodeId: 'ab' });
    const wf = await startExperiment(experimentId);

    const customers: { id: string; user: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const user = `exp-u-${i}`;
      customers.push({ id: await createCustomer(testDb.db, tenantId, { userId: user }), user });
    }
    for (let i = 0; i < customers.length; i += 10) await Promise.all(customers.slice(i, i + 10).map((c) => runJourney(journeyId, c.id)));

    const exposures = (await q(`select customer_id, variant, source from experiment_exposures where experiment_id = $1`, [experimentId])) as { customer_id: string; variant: string; source: string }[];
    expect(exposures).toHaveLength(50);
    expect(new Set(exposures.map((e) => e.source))).toEqual(new Set(['journey']));
    const variantOf = new Map(exposures.map((e) => [e.customer_id, e.variant]));
    // The journey took the port of the recorded variant.
    for (const c of customers.slice(0, 5)) expect(await portOf(journeyId, c.id)).toBe(variantOf.get(c.id));
    const a = customers.filter((c) => variantOf.get(c.id) === 'A');
    const b = customers.filter((c) => variantOf.get(c.id) === 'B');
    expect(a.length).toBeGreaterThanOrEqual(15);
    expect(b.length).toBeGreaterThanOrEqual(15);

    // Every B customer buys; two A customers do.
    for (const c of [...b, ...a.slice(0, 2)]) await trackEvent(testDb.db, tenantId, c.user, 'purchase');
    await wf.signal(experimentEvaluateSignal);

    const row = await eventually(async () => {
      const r = await experimentRow(experimentId);
      return r.status === 'completed' ? r : null;
    }, 30_000, 'automatic winner');
    expect(row.winner_variant).toBe('B');
    expect(row.decision).toMatchObject({ kind: 'winner', variant: 'B', by: 'auto' });
    expect(row.decision!.reason).toMatch(/B beats control on purchase \(sequential p = /);
    expect(await wf.result()).toMatchObject({ status: 'completed' });

    const evals = (await q(`select trigger, results from experiment_evaluations where experiment_id = $1 order by id`, [experimentId])) as { trigger: string; results: { decision: { kind: string } } }[];
    expect(evals.map((e) => e.trigger)).toEqual(['start', 'manual', 'final']);
    expect(evals[1]!.results.decision.kind).toBe('ship');

    // New entries all go to B; no new exposures are counted.
    const later = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => createCustomer(testDb.db, tenantId, { userId: `exp-late-${i}` })));
    for (const c of later) await runJourney(journeyId, c);
    for (const c of later) expect(await portOf(journeyId, c)).toBe('B');
    expect((await q(`select count(*)::int as n from experiment_exposures where experiment_id = $1`, [experimentId]))[0]!.n).toBe(50);
  });

  it('declareWinner by hand: final evaluation, the winner recorded with who and why', async () => {
    const experimentId = await createExperiment('By hand', { kind: 'api' });
    const wf = await startExperiment(experimentId);
    await eventually(async () => (await wf.query(experimentStateQuery)).evaluations >= 1, 20_000, 'start evaluation');
    await wf.signal(experimentWinnerSignal, { variant: 'B', reason: 'Brand preference', by: 'ana@example.com' });
    expect(await wf.result()).toMatchObject({ status: 'completed' });
    const row = await experimentRow(experimentId);
    expect(row).toMatchObject({ status: 'completed', winner_variant: 'B', decision: { kind: 'winner', variant: 'B', reason: 'Brand preference', by: 'ana@example.com' } });
    const triggers = (await q(`select trigger from experiment_evaluations where experiment_id = $1 order by id`, [experimentId])).map((r) => r.trigger);
    expect(triggers).toEqual(['start', 'final']);
    await record('experiment-workflow', experimentWorkflowId(tenantId, experimentId));
  });

  it('stop: ends without a winner; a decision the API already recorded is kept', async () => {
    const experimentId = await createExperiment('Stopped', { kind: 'api' });
    const wf = await startExperiment(experimentId);
    await eventually(async () => (await wf.query(experimentStateQuery)).evaluations >= 1, 20_000, 'start evaluation');
    await wf.signal(experimentStopSignal, { reason: 'Wrong audience', by: 'ops' });
    expect(await wf.result()).toMatchObject({ status: 'stopped' });
    expect(await experimentRow(experimentId)).toMatchObject({ status: 'stopped', winner_variant: null, decision: { kind: 'stopped', reason: 'Wrong audience', by: 'ops' } });

    // The API records first, then signals: the workflow's own record call is a no-op.
    const other = await createExperiment('Stopped by API', { kind: 'api' });
    const wf2 = await startExperiment(other);
    await eventually(async () => (await wf2.query(experimentStateQuery)).evaluations >= 1, 20_000, 'start evaluation');
    await q(`update experiments set status = 'stopped', decision = $2, ended_at = now() where id = $1`, [other, JSON.stringify({ kind: 'stopped', reason: 'API stop', by: 'api-key', at: new Date().toISOString() })]);
    await wf2.signal(experimentStopSignal, { reason: 'ignored', by: 'api-key' });
    expect(await wf2.result()).toMatchObject({ status: 'stopped' });
    expect((await experimentRow(other)).decision).toMatchObject({ reason: 'API stop' });
  });
});
