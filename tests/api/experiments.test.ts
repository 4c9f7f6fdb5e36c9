// The experiments API against the running app: metrics CRUD (key taken, in use), experiments CRUD with reference
// checks located at the bad part (metrics, segment, journey experiment node, templates), the draft-only rules, start
// (status + workflow with its TenantId search attribute), stop / declare a winner (decision recorded by the API key),
// evaluate, sticky API assignment, stored results with their history, the sample-size calculator, tenant isolation.
// Until the experiment workflow is registered, a started workflow waits unexecuted; results come from rows inserted here.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExperimentResults } from '#core/experiments/results.ts';
import { experimentWorkflowId } from '#workflows/experiments/experiment.contract.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let temporal: { client: Client; connection: Connection };
const started: string[] = [];

beforeAll(async () => {
  [t, other] = await Promise.all([apiTenant('experiments'), apiTenant('experiments-other')]);
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = { connection, client: new Client({ connection }) };
});

afterAll(async () => {
  // The experiment workflow type is registered by another part of the app; do not leave these waiting.
  await Promise.all(started.map((id) => temporal.client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
  await temporal?.connection.close();
  await closeAppDatabase();
});

const q = (sql: string, params: unknown[] = []) => appDatabase().$client.query(sql, params).then((r) => r.rows);
const patch = (path: string, body: unknown) => t.api.call('PATCH', path, body);
const del = (path: string) => t.api.call('DELETE', path);
const paths = (body: { error: { details?: { path: string }[] } }) => (body.error.details ?? []).map((d) => d.path);

const conversion = (key = `purchase-${randomUUID().slice(0, 8)}`) => ({ key, name: `Purchase ${key}`, definition: { type: 'conversion', source: { kind: 'order' }, windowHours: 72 } });
const revenue = (key = `revenue-${randomUUID().slice(0, 8)}`) => ({ key, name: `Revenue ${key}`, definition: { type: 'revenue_per_customer', windowHours: 72 } });

async function metric(body: { key: string; name: string; definition: unknown } = conversion()): Promise<string> {
  const r = await t.api.post('/api/v1/experiment-metrics', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

const ab = (extra: Record<string, unknown> = {}) => ({
  name: `Exp ${randomUUID().slice(0, 8)}`,
  design: { kind: 'ab', variants: [{ key: 'control', name: 'Control', weight: 50 }, { key: 'b', name: 'B', weight: 50 }] },
  audience: { kind: 'api' },
  ...extra,
});

async function customers(tenantId: string, n: number): Promise<string[]> {
  const rows = await q(`insert into customers (tenant_id, email) select $1, 'x' || g || '-' || $2 || '@example.com' from generate_series(1, $3) g returning id`, [tenantId, randomUUID().slice(0, 8), n]);
  return rows.map((r) => r.id as string);
}

async function journeyWithNode(tenantId: string, ports: string[], published = true): Promise<string> {
  const definition = {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'ab' },
      { id: 'ab', type: 'experiment', variants: ports.map((id) => ({ id, weight: 50, next: 'done' })), holdoutNext: 'done' },
      { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' }, next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  };
  const [j] = await q(`insert into journeys (tenant_id, name, draft, status, latest_version) values ($1, $2, $3::jsonb, $4, $5) returning id`, [
    tenantId,
    `J ${randomUUID().slice(0, 8)}`,
    JSON.stringify(definition),
    published ? 'active' : 'draft',
    published ? 1 : null,
  ]);
  if (published) await q(`insert into journey_versions (journey_id, version, tenant_id, definition) values ($1, 1, $2, $3::jsonb)`, [j!.id, tenantId, JSON.stringify(definition)]);
  return j!.id as string;
}

/** A valid stored evaluation: B converts better than control. */
function results(asOf: string, bRate: number, lift: number, decision: ExperimentResults['decision'] = { kind: 'continue', reason: 'No variant is a significant winner on the primary metric yet.' }, metricId = randomUUID()): ExperimentResults {
  const interval = (e: number) => ({ estimate: e, lower: e - 0.1, upper: e + 0.1 });
  return {
    asOf,
    exposures: [
      { variant: 'control', units: 1000, expectedShare: 0.5 },
      { variant: 'b', units: 1010, expectedShare: 0.5 },
    ],
    holdoutUnits: 0,
    srm: { pValue: 0.82, mismatch: false },
    metrics: [
      {
        metricId,
        key: 'purchase',
        name: 'Purchase',
        type: 'conversion',
        role: 'primary',
        higherIsBetter: true,
        variants: [
          { variant: 'control', units: 1000, numerator: 100, denominator: 1000, value: 0.1 },
          {
            variant: 'b',
            units: 1010,
            numerator: Math.round(1010 * bRate),
            denominator: 1010,
            value: bRate,
            vsControl: { relative: interval(lift), absolute: interval(bRate - 0.1), pValue: 0.01, sequentialPValue: 0.04, sequentialRelative: interval(lift), chanceToWin: 0.97, expectedLoss: 0.001, cuped: false },
          },
        ],
      },
    ],
    decision,
  };
}

describe('/api/v1/experiment-metrics', () => {
  it('needs an API key and valid bodies (400 at the path of the bad part)', async () => {
    expect((await apiClient().get('/api/v1/experiment-metrics')).status).toBe(401);
    const bad: [unknown, string][] = [
      [{ key: 'has space', name: 'x', definition: { type: 'revenue_per_customer' } }, 'key'],
      [{ key: 'k', name: '', definition: { type: 'revenue_per_customer' } }, 'name'],
      [{ key: 'k', name: 'x', definition: { type: 'nope' } }, 'definition.type'],
      [{ key: 'k', name: 'x', definition: { type: 'conversion', source: { kind: 'event' } } }, 'definition.source.match'],
      [{ key: 'k', name: 'x', definition: { type: 'conversion', source: { kind: 'order' }, windowHours: 0 } }, 'definition.windowHours'],
      [{ key: 'k', name: 'x', definition: { type: 'revenue_per_customer' }, extra: 1 }, ''],
    ];
    for (const [body, path] of bad) {
      const r = await t.api.post('/api/v1/experiment-metrics', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(paths(r.body), JSON.stringify(body)).toContain(path);
    }
    expect((await t.api.post('/api/v1/experiment-metrics', '{"key":')).body.error.code).toBe('invalid_json');
  });

  it('creates, lists, changes and deletes metrics; keys are unique per tenant; a referenced metric stays', async () => {
    const created = await t.api.post('/api/v1/experiment-metrics', {
      key: 'signup-m',
      name: 'Signed up',
      description: 'Track event',
      definition: { type: 'conversion', source: { kind: 'event', match: { event: 'Signed Up' } }, windowHours: 24 },
      higherIsBetter: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ key: 'signup-m', name: 'Signed up', usedBy: 0, higherIsBetter: true, definition: { type: 'conversion', windowHours: 24 } });
    const id = created.body.id as string;

    const dup = await t.api.post('/api/v1/experiment-metrics', { key: 'signup-m', name: 'Again', definition: { type: 'average_order_value' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('metric_key_taken');
    // The same key in another tenant is fine, and that tenant cannot see this one.
    expect((await other.api.post('/api/v1/experiment-metrics', { key: 'signup-m', name: 'Theirs', definition: { type: 'average_order_value' } })).status).toBe(201);
    expect((await other.api.get(`/api/v1/experiment-metrics/${id}`)).status).toBe(404);

    const renamed = await patch(`/api/v1/experiment-metrics/${id}`, { name: 'Signed up (24 h)', definition: { type: 'conversion', source: { kind: 'event', match: { event: 'Signed Up' } }, windowHours: 48 } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Signed up (24 h)', definition: { windowHours: 48 } });
    expect((await patch(`/api/v1/experiment-metrics/${id}`, {})).status).toBe(400);
    expect((await t.api.get('/api/v1/experiment-metrics')).body.data.map((m: { id: string }) => m.id)).toContain(id);

    // Referenced by a draft: cannot be deleted.
    const exp = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: id }));
    expect(exp.status, JSON.stringify(exp.body)).toBe(201);
    expect((await t.api.get(`/api/v1/experiment-metrics/${id}`)).body.usedBy).toBe(1);
    const inUse = await del(`/api/v1/experiment-metrics/${id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'metric_in_use', details: [{ path: `experiments.${exp.body.id}` }] });
    // Once started, what it measures cannot change (its name can).
    expect((await t.api.post(`/api/v1/experiments/${exp.body.id}/start`, {})).status).toBe(200);
    started.push(experimentWorkflowId(t.tenant.id, exp.body.id));
    const redefine = await patch(`/api/v1/experiment-metrics/${id}`, { higherIsBetter: false });
    expect(redefine.status).toBe(409);
    expect(redefine.body.error.code).toBe('metric_in_use');
    expect((await patch(`/api/v1/experiment-metrics/${id}`, { name: 'Signup' })).status).toBe(200);

    const free = await metric(revenue());
    expect(await del(`/api/v1/experiment-metrics/${free}`)).toMatchObject({ status: 200, body: { id: free, deleted: true } });
    expect((await t.api.get(`/api/v1/experiment-metrics/${free}`)).status).toBe(404);
    expect((await del(`/api/v1/experiment-metrics/${free}`)).status).toBe(404);
  });
});

describe('/api/v1/experiments CRUD', () => {
  it('refuses bad definitions with the path of each bad part', async () => {
    const primary = await metric();
    const guard = await metric(revenue());
    const [seg] = await q(`insert into segments (tenant_id, name, definition) values ($1, $2, '{"kind":"group","op":"and","rules":[]}'::jsonb) returning id`, [t.tenant.id, `S ${randomUUID().slice(0, 8)}`]);
    const journey = await journeyWithNode(t.tenant.id, ['control', 'b']);
    const whatsapp = (await q(`insert into message_templates (tenant_id, name, channel, subject, body) values ($1, $2, 'whatsapp', 'x', 'x') returning id`, [t.tenant.id, `w-${randomUUID()}`]))[0]!.id as string;
    const variants = (k2 = 'b', extra: Record<string, unknown> = {}) => ({ kind: 'ab', variants: [{ key: 'control', name: 'Control', weight: 50, ...extra }, { key: k2, name: 'B', weight: 50 }] });
    const cases: [unknown, string][] = [
      [ab(), 'primaryMetricId'],
      [ab({ primaryMetricId: primary, design: { kind: 'ab', variants: [{ key: 'control', name: 'C', weight: 50 }] } }), 'design.variants'],
      [ab({ primaryMetricId: primary, design: variants('control') }), 'design.variants.1.key'],
      [ab({ primaryMetricId: primary, design: { kind: 'ab', variants: [{ key: 'a', name: 'A', weight: 0 }, { key: 'b', name: 'B', weight: 0 }] } }), 'design.variants'],
      [ab({ primaryMetricId: randomUUID() }), 'primaryMetricId'],
      [ab({ primaryMetricId: primary, guardrailMetricIds: [guard, randomUUID()] }), 'guardrailMetricIds.1'],
      [ab({ primaryMetricId: primary, guardrailMetricIds: [primary] }), 'guardrailMetricIds.0'],
      [ab({ primaryMetricId: primary, holdoutPercent: 60 }), 'holdoutPercent'],
      [ab({ primaryMetricId: primary, audience: { kind: 'segment', segmentId: randomUUID() } }), 'audience.segmentId'],
      [ab({ primaryMetricId: primary, audience: { kind: 'journey', journeyId: randomUUID(), nodeId: 'ab' } }), 'audience.journeyId'],
      [ab({ primaryMetricId: primary, audience: { kind: 'journey', journeyId: journey, nodeId: 'nope' } }), 'audience.nodeId'],
      [ab({ primaryMetricId: primary, audience: { kind: 'journey', journeyId: journey, nodeId: 'wait' } }), 'audience.nodeId'],
      [ab({ primaryMetricId: primary, design: variants('c'), audience: { kind: 'journey', journeyId: journey, nodeId: 'ab' } }), 'audience.nodeId'],
      [ab({ primaryMetricId: primary, design: variants('b', { templateId: randomUUID() }), audience: { kind: 'segment', segmentId: seg!.id } }), 'design.variants.0.templateId'],
      [ab({ primaryMetricId: primary, design: variants('b', { templateId: whatsapp }), audience: { kind: 'segment', segmentId: seg!.id } }), 'design.variants.0.templateId'],
      [ab({ primaryMetricId: primary, design: variants('b', { templateId: whatsapp }) }), 'audience'],
      [ab({ primaryMetricId: primary, schedule: { startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z' } }), 'schedule.endAt'],
      [ab({ primaryMetricId: primary, analysis: { alpha: 0.5 } }), 'analysis.alpha'],
      [ab({ primaryMetricId: primary, minSamplePerVariant: 1 }), 'minSamplePerVariant'],
      [ab({ primaryMetricId: primary, extra: true }), ''],
      [{ ...ab({ primaryMetricId: primary }), design: { kind: 'multivariate', factors: [{ key: 'color', name: 'Color', levels: [{ key: 'red', name: 'Red' }, { key: 'red', name: 'Red' }] }, { key: 'size', name: 'Size', levels: [{ key: 's', name: 'S' }, { key: 'l', name: 'L' }] }] } }, 'design.factors.0.levels.1.key'],
    ];
    for (const [body, path] of cases) {
      const r = await t.api.post('/api/v1/experiments', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(paths(r.body), JSON.stringify(body)).toContain(path);
    }
    expect((await t.api.post('/api/v1/experiments', '{')).body.error.code).toBe('invalid_json');
    expect((await apiClient().post('/api/v1/experiments', ab())).status).toBe(401);
  });

  it('creates A/B/n and multivariate drafts on each audience, lists, gets, patches and deletes drafts', async () => {
    const primary = await metric();
    const guard = await metric(revenue());
    const journey = await journeyWithNode(t.tenant.id, ['control', 'b']);
    const draftOnly = await journeyWithNode(t.tenant.id, ['control', 'b'], false);
    const [seg] = await q(`insert into segments (tenant_id, name, definition) values ($1, $2, '{"kind":"group","op":"and","rules":[]}'::jsonb) returning id`, [t.tenant.id, `S ${randomUUID().slice(0, 8)}`]);
    const tpl = (await q(`insert into message_templates (tenant_id, name, channel, subject, body) values ($1, $2, 'email', 'x', '<mjml></mjml>') returning id`, [t.tenant.id, `e-${randomUUID()}`]))[0]!.id as string;

    const onJourney = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary, guardrailMetricIds: [guard], audience: { kind: 'journey', journeyId: journey, nodeId: 'ab' }, holdoutPercent: 10 }));
    expect(onJourney.status, JSON.stringify(onJourney.body)).toBe(201);
    expect(onJourney.body).toMatchObject({
      status: 'draft',
      exposures: 0,
      latestDecision: null,
      winnerVariant: null,
      workflowId: null,
      variants: [{ key: 'control', isControl: true }, { key: 'b', isControl: false }],
      // defaults filled in
      definition: { minSamplePerVariant: 100, autoSelectWinner: true, analysis: { alpha: 0.05, decisionRule: 'sequential', correction: 'holm-bonferroni', cuped: true, evaluationIntervalMinutes: 60 } },
    });
    expect((await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary, audience: { kind: 'journey', journeyId: draftOnly, nodeId: 'ab' } }))).status).toBe(201);
    const campaign = await t.api.post(
      '/api/v1/experiments',
      ab({ primaryMetricId: primary, design: { kind: 'ab', variants: [{ key: 'a', name: 'A', weight: 50, templateId: tpl }, { key: 'b', name: 'B', weight: 50, templateId: tpl }] }, audience: { kind: 'segment', segmentId: seg!.id } }),
    );
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    expect(campaign.body.definition.audience).toEqual({ kind: 'segment', segmentId: seg!.id, channel: 'email' });
    const mvt = await t.api.post('/api/v1/experiments', {
      ...ab({ primaryMetricId: primary }),
      design: {
        kind: 'multivariate',
        factors: [
          { key: 'color', name: 'Color', levels: [{ key: 'red', name: 'Red' }, { key: 'blue', name: 'Blue' }] },
          { key: 'size', name: 'Size', levels: [{ key: 's', name: 'S' }, { key: 'l', name: 'L' }] },
        ],
      },
    });
    expect(mvt.status, JSON.stringify(mvt.body)).toBe(201);
    expect(mvt.body.variants.map((v: { key: string }) => v.key)).toEqual(['color-red__size-s', 'color-red__size-l', 'color-blue__size-s', 'color-blue__size-l']);

    const dup = await t.api.post('/api/v1/experiments', ab({ name: onJourney.body.name, primaryMetricId: primary }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('experiment_name_taken');

    const list = await t.api.get('/api/v1/experiments?status=draft');
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([onJourney.body.id, campaign.body.id, mvt.body.id]));
    expect((await t.api.get('/api/v1/experiments?status=bogus')).status).toBe(400);
    expect((await t.api.get(`/api/v1/experiments/${onJourney.body.id}`)).body.name).toBe(onJourney.body.name);
    expect((await other.api.get(`/api/v1/experiments/${onJourney.body.id}`)).status).toBe(404);
    expect((await other.api.get('/api/v1/experiments')).body.data.map((e: { id: string }) => e.id)).not.toContain(onJourney.body.id);
    expect((await t.api.get('/api/v1/experiments/not-a-uuid')).status).toBe(404);

    // A draft changes freely; analysis settings merge.
    const changed = await patch(`/api/v1/experiments/${onJourney.body.id}`, { holdoutPercent: 0, audience: { kind: 'api' }, analysis: { alpha: 0.01 }, description: 'Checkout copy' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.definition).toMatchObject({ holdoutPercent: 0, audience: { kind: 'api' }, description: 'Checkout copy', analysis: { alpha: 0.01, decisionRule: 'sequential' } });
    expect(paths((await patch(`/api/v1/experiments/${onJourney.body.id}`, { guardrailMetricIds: [randomUUID()] })).body)).toEqual(['guardrailMetricIds.0']);
    expect(paths((await patch(`/api/v1/experiments/${onJourney.body.id}`, { analysis: { bogus: 1 } })).body)).toEqual(['analysis']);
    expect((await patch(`/api/v1/experiments/${onJourney.body.id}`, { name: campaign.body.name })).body.error.code).toBe('experiment_name_taken');
    expect((await patch(`/api/v1/experiments/${randomUUID()}`, { name: 'x' })).status).toBe(404);

    expect(await del(`/api/v1/experiments/${mvt.body.id}`)).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await t.api.get(`/api/v1/experiments/${mvt.body.id}`)).status).toBe(404);
  });
});

describe('experiment lifecycle', () => {
  it('starts (workflow with TenantId), keeps the design fixed, assigns sticky variants, declares a winner by hand', async () => {
    const primary = await metric();
    const exp = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary, minSamplePerVariant: 10 }));
    const id = exp.body.id as string;
    const [c1, c2] = await customers(t.tenant.id, 2);
    // Before start: control, nothing recorded.
    expect((await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: c1 })).body).toEqual({ variant: 'control', firstExposure: false, counted: false, status: 'draft' });
    expect((await t.api.post(`/api/v1/experiments/${id}/stop`, {})).body.error.code).toBe('experiment_not_running');
    expect((await t.api.post(`/api/v1/experiments/${id}/evaluate`, {})).body.error.code).toBe('experiment_not_running');

    const start = await t.api.post(`/api/v1/experiments/${id}/start`, {});
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    started.push(experimentWorkflowId(t.tenant.id, id));
    expect(start.body).toMatchObject({ status: 'running', startedAt: expect.any(String), workflowId: experimentWorkflowId(t.tenant.id, id), temporalUiUrl: expect.stringContaining('/workflows/') });
    const described = await temporal.client.workflow.getHandle(experimentWorkflowId(t.tenant.id, id)).describe();
    expect(described.type).toBe('experimentWorkflow');
    expect(described.taskQueue).toBe(TASK_QUEUES.journeys);
    expect(described.searchAttributes.TenantId).toEqual([t.tenant.id]);
    expect((await t.api.post(`/api/v1/experiments/${id}/start`, {})).body.error.code).toBe('experiment_not_draft');
    expect((await del(`/api/v1/experiments/${id}`)).body.error.code).toBe('experiment_not_draft');

    // Running: design, audience, primary metric and method are fixed; weights, texts, sample, interval, end are not.
    const locked = await patch(`/api/v1/experiments/${id}`, { audience: { kind: 'journey', journeyId: randomUUID(), nodeId: 'x' }, analysis: { alpha: 0.1 } });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('experiment_not_draft');
    expect(paths(locked.body).sort()).toEqual(['analysis', 'audience']);
    expect(paths((await patch(`/api/v1/experiments/${id}`, { design: { kind: 'ab', variants: [{ key: 'control', name: 'C', weight: 50 }, { key: 'c', name: 'C2', weight: 50 }] } })).body)).toEqual(['design']);
    const reweighted = await patch(`/api/v1/experiments/${id}`, {
      name: `${exp.body.name} (90/10)`,
      design: { kind: 'ab', variants: [{ key: 'control', name: 'Control', weight: 10 }, { key: 'b', name: 'Bold B', weight: 90 }] },
      minSamplePerVariant: 500,
      analysis: { evaluationIntervalMinutes: 15 },
      schedule: { endAt: '2099-01-01T00:00:00.000Z' },
    });
    expect(reweighted.status, JSON.stringify(reweighted.body)).toBe(200);
    expect(reweighted.body.variants.map((v: { weight: number }) => v.weight)).toEqual([10, 90]);

    // Sticky: the first call records the exposure, the next ones agree.
    const a1 = await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: c1 });
    expect(a1.body).toMatchObject({ firstExposure: true, counted: true, status: 'running' });
    expect(['control', 'b']).toContain(a1.body.variant);
    const again = await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: c1 });
    expect(again.body).toEqual({ ...a1.body, firstExposure: false });
    expect((await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: c2 })).body.firstExposure).toBe(true);
    expect(await q(`select source from experiment_exposures where experiment_id = $1`, [id])).toEqual([{ source: 'api' }, { source: 'api' }]);
    expect(paths((await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: 'nope' })).body)).toEqual(['customerId']);
    const [stranger] = await customers(other.tenant.id, 1);
    expect(paths((await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: stranger })).body)).toEqual(['customerId']);
    expect((await other.api.post(`/api/v1/experiments/${id}/assign`, { customerId: stranger })).status).toBe(404);
    expect((await t.api.get(`/api/v1/experiments/${id}`)).body.exposures).toBe(2);
    // ?fresh=1 computes from the exposures now, beside whatever the workflow stored.
    const fresh = (await t.api.get(`/api/v1/experiments/${id}/results?fresh=1`)).body.fresh as ExperimentResults;
    expect(fresh.exposures.reduce((n, e) => n + e.units, 0)).toBe(2);
    expect(fresh.metrics.map((m) => m.role)).toContain('primary');

    const ev = await t.api.post(`/api/v1/experiments/${id}/evaluate`, {});
    expect(ev.status).toBe(202);
    expect(ev.body).toEqual({ signalled: true, workflowId: experimentWorkflowId(t.tenant.id, id) });

    expect(paths((await t.api.post(`/api/v1/experiments/${id}/winner`, { variant: 'zzz' })).body)).toEqual(['variant']);
    expect(paths((await t.api.post(`/api/v1/experiments/${id}/winner`, {})).body)).toEqual(['variant']);
    const won = await t.api.post(`/api/v1/experiments/${id}/winner`, { variant: 'b', reason: 'Clear lift on checkout' });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(won.body).toMatchObject({ status: 'completed', winnerVariant: 'b', endedAt: expect.any(String), decision: { kind: 'winner', variant: 'b', reason: 'Clear lift on checkout', } });
    expect(won.body.decision.by).toMatch(/^api-key:/);
    // Ends once: a second decision is refused and the first one stays.
    const late = await t.api.post(`/api/v1/experiments/${id}/stop`, { reason: 'late' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('experiment_not_running');
    // Everyone now gets the winner, uncounted.
    const [c3] = await customers(t.tenant.id, 1);
    expect((await t.api.post(`/api/v1/experiments/${id}/assign`, { customerId: c3 })).body).toEqual({ variant: 'b', firstExposure: false, counted: false, status: 'completed' });
    expect((await t.api.post(`/api/v1/experiments/${id}/evaluate`, {})).status).toBe(409);
    expect((await t.api.post(`/api/v1/experiments/${id}/bogus`, {})).status).toBe(404);
    expect((await t.api.get(`/api/v1/experiments/${id}/start`)).status).toBe(405);
  });

  it('stops by hand; a future start schedules it; results return the latest evaluation and the history', async () => {
    const primary = await metric();
    const stopMe = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary }));
    expect((await t.api.post(`/api/v1/experiments/${stopMe.body.id}/start`, {})).status).toBe(200);
    started.push(experimentWorkflowId(t.tenant.id, stopMe.body.id));
    const stopped = await t.api.post(`/api/v1/experiments/${stopMe.body.id}/stop`, { reason: 'Broken tracking' });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', winnerVariant: null, decision: { kind: 'stopped', reason: 'Broken tracking' } });

    const later = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary, schedule: { startAt: '2099-01-01T00:00:00Z' } }));
    const scheduled = await t.api.post(`/api/v1/experiments/${later.body.id}/start`, {});
    started.push(experimentWorkflowId(t.tenant.id, later.body.id));
    expect(scheduled.body).toMatchObject({ status: 'scheduled', startedAt: null });
    const past = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary, schedule: { endAt: '2020-01-01T00:00:00Z' } }));
    expect(paths((await t.api.post(`/api/v1/experiments/${past.body.id}/start`, {})).body)).toEqual(['schedule.endAt']);

    // Results of a running experiment whose evaluations are stored (inserted here as the workflow would).
    const exp = await t.api.post('/api/v1/experiments', ab({ primaryMetricId: primary }));
    const id = exp.body.id as string;
    expect((await t.api.get(`/api/v1/experiments/${id}/results`)).body).toEqual({ experimentId: id, status: 'draft', winnerVariant: null, decision: null, latest: null, history: [] });
    await q(`update experiments set status = 'running', started_at = now() where id = $1`, [id]);
    const points: [string, number, number, 'start' | 'timer' | 'manual'][] = [
      ['2026-12-01T10:00:00.000Z', 0.105, 0.05, 'start'],
      ['2026-12-01T11:00:00.000Z', 0.12, 0.2, 'timer'],
      ['2026-12-01T12:00:00.000Z', 0.125, 0.25, 'manual'],
    ];
    for (const [at, rate, lift, trigger] of points)
      await q(`insert into experiment_evaluations (tenant_id, experiment_id, evaluated_at, trigger, results) values ($1, $2, $3, $4, $5::jsonb)`, [t.tenant.id, id, at, trigger, JSON.stringify(results(at, rate, lift))]);
    const r = await t.api.get(`/api/v1/experiments/${id}/results`);
    expect(r.status).toBe(200);
    expect(r.body.latest).toMatchObject({ evaluatedAt: '2026-12-01T12:00:00.000Z', trigger: 'manual', results: { metrics: [{ role: 'primary', variants: [{ variant: 'control' }, { variant: 'b', value: 0.125 }] }] } });
    expect(r.body.history.map((h: { evaluatedAt: string; trigger: string; exposures: number }) => [h.evaluatedAt, h.trigger, h.exposures])).toEqual(points.map(([at, , , trigger]) => [at, trigger, 2010]));
    expect(r.body.history[1].primary).toEqual([{ variant: 'b', relative: { estimate: 0.2, lower: 0.1, upper: 0.30000000000000004 }, sequentialRelative: { estimate: 0.2, lower: 0.1, upper: 0.30000000000000004 }, chanceToWin: 0.97 }]);
    const listed = (await t.api.get('/api/v1/experiments?status=running')).body.data.find((e: { id: string }) => e.id === id);
    expect(listed).toMatchObject({ lastEvaluatedAt: '2026-12-01T12:00:00.000Z', latestDecision: { kind: 'continue' } });
    expect((await other.api.get(`/api/v1/experiments/${id}/results`)).status).toBe(404);
  });
});

describe('/api/v1/experiments/sample-size', () => {
  it('computes customers per variant (Evan Miller) and refuses impossible effects', async () => {
    // Evan Miller (reference golden): baseline 10 %, +2 points absolute, alpha 5 %, power 80 % → 3,622.6 per variant.
    const r = await t.api.get('/api/v1/experiments/sample-size?baselineRate=0.1&mde=0.02&mdeKind=absolute');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ perVariant: 3623, total: 7246, alphaPerComparison: 0.05 });
    const rel = await t.api.get('/api/v1/experiments/sample-size?baselineRate=0.1&mde=0.2&variants=3');
    expect(rel.body.alphaPerComparison).toBe(0.025);
    expect(rel.body.total).toBe(rel.body.perVariant * 3);
    expect(rel.body.perVariant).toBeGreaterThan(3623);
    expect(paths((await t.api.get('/api/v1/experiments/sample-size?baselineRate=0.9&mde=0.2&mdeKind=absolute')).body)).toEqual(['mde']);
    expect(paths((await t.api.get('/api/v1/experiments/sample-size?mde=0.2')).body)).toEqual(['baselineRate']);
    expect((await apiClient().get('/api/v1/experiments/sample-size?baselineRate=0.1&mde=0.2')).status).toBe(401);
  });
});
