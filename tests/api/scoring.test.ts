// The scoring API end to end: "run now" starts nightlyScoringWorkflow on the app's worker; runs are listed with
// their parameters and diagnostics; the customer profile carries the scores and the run they came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { prng } from '../support/prng.ts';
import { day, seedScoringData, simulatedBuyers, type TestOrder } from '../support/scoring-data.ts';
import { eventually } from '../support/temporal.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant('scoring');
});
afterAll(closeAppDatabase);

const AS_OF = '2025-03-31T15:00:00Z';

describe('POST /api/v1/scoring/run', () => {
  it('refuses bad input with a 4xx and a code, starting nothing', async () => {
    expect((await apiClient().post('/api/v1/scoring/run', {})).status).toBe(401);
    const cases: [unknown, number, string][] = [
      [{ asOf: 'yesterday' }, 400, 'invalid_request'],
      [{ asOf: '2025-03-31' }, 400, 'invalid_request'],
      [{ asOf: '2999-01-01T00:00:00Z' }, 400, 'invalid_request'],
      [{ asOf: AS_OF, extra: true }, 400, 'invalid_request'],
      ['{"asOf": ', 400, 'invalid_json'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.api.post('/api/v1/scoring/run', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect((await t.api.get('/api/v1/scoring/run')).status).toBe(405);
    expect((await t.api.get('/api/v1/scoring/runs?limit=0')).body.error.code).toBe('invalid_request');
    expect((await t.api.get('/api/v1/scoring/runs')).body).toEqual({ data: [] });
  });

  it('runs scoring as of a past date; the run shows its models and the customer its scores', async () => {
    const db = appDatabase();
    const orders: TestOrder[] = [
      { customer: 0, at: day(AS_OF, -10), totalMinor: 1000 },
      // An order after asOf must not count.
      { customer: 0, at: '2025-04-15T12:00:00Z', totalMinor: 999_999 },
      ...simulatedBuyers(prng(3), 1, 300, AS_OF),
    ];
    const { customerIds } = await seedScoringData(db, t.tenant.id, 302, orders);

    const started = await t.api.post('/api/v1/scoring/run', { asOf: AS_OF });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ runId: expect.any(String), workflowId: expect.stringContaining(started.body.runId), temporalUiUrl: expect.any(String) });
    // Listed at once, then finished.
    expect((await t.api.get('/api/v1/scoring/runs')).body.data.map((r: { id: string }) => r.id)).toContain(started.body.runId);
    const run = await eventually(
      async () => {
        const r = await t.api.get(`/api/v1/scoring/runs/${started.body.runId}`);
        return r.body.status !== 'running' && r.body;
      },
      120_000,
      'scoring run',
    );
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', asOf: '2025-03-31T15:00:00.000Z', error: null, parameters: { modelSource: 'fit' } });
    expect(run.steps.map((s: { step: string }) => s.step)).toEqual(['summaries', 'models', 'neighbours', 'propensity', 'customers', 'prospects']);
    expect(run.diagnostics).toMatchObject({ customersWithOrders: 301, customersScored: 301, prospects: 1 });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);

    const customer = await t.api.get(`/api/v1/customers/${customerIds[0]}`);
    expect(customer.status).toBe(200);
    expect(customer.body.scores).toMatchObject({
      runId: started.body.runId,
      asOf: '2025-03-31T15:00:00.000Z',
      rfm: { r: expect.any(Number), f: expect.any(Number), m: expect.any(Number), segment: expect.any(String) },
      lifecycle: { state: expect.any(String), reason: expect.any(String) },
      orders: { count: 1, revenueMinor: 1000 },
      clv: { currency: 'ARS' },
      history: [expect.objectContaining({ runId: started.body.runId })],
    });
    const prospect = await t.api.get(`/api/v1/customers/${customerIds[301]}`);
    expect(prospect.body.scores).toMatchObject({ rfm: null, lifecycle: { state: 'PROSPECT' }, orders: { count: 0 } });
  });

  it('answers 404 for an unknown run and for another tenant’s run', async () => {
    expect((await t.api.get('/api/v1/scoring/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.api.get('/api/v1/scoring/runs/not-a-uuid')).body.error.code).toBe('not_found');
    const mine = (await t.api.get('/api/v1/scoring/runs')).body.data[0];
    const other = await apiTenant('scoring-other');
    expect((await other.api.get(`/api/v1/scoring/runs/${mine.id}`)).status).toBe(404);
  });
});
