// POST /api/v1/journeys/{id}/entries against the running app: its worker runs the journeys (entry → update profile
// → exit here, so the run's effect is visible in the database without a mail server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { createCustomer, entriesOf, publishJourney } from '../support/journey-engine.ts';
import { eventually } from '../support/temporal.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant('journeys');
});
afterAll(closeAppDatabase);

const apiJourney = (status: 'active' | 'paused' = 'active') =>
  publishJourney(
    appDatabase(),
    t.tenant.id,
    {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'api' }, next: 'mark' },
        { id: 'mark', type: 'update_profile', updates: [{ op: 'increment', attribute: 'entered', by: 1 }], next: 'exit' },
        { id: 'exit', type: 'exit' },
      ],
      settings: { reEntry: { mode: 'never' } },
    },
    status,
  );

const attributes = async (id: string) => (await appDatabase().$client.query('select attributes from customers where id = $1', [id])).rows[0].attributes;

describe('POST /api/v1/journeys/{id}/entries', () => {
  it('refuses what it cannot enter with a 4xx and a code', async () => {
    const journey = await apiJourney();
    const paused = await apiJourney('paused');
    const eventJourney = await publishJourney(appDatabase(), t.tenant.id, {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' }, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ],
    });
    const customer = await createCustomer(appDatabase(), t.tenant.id);
    const path = (id: string) => `/api/v1/journeys/${id}/entries`;
    expect((await apiClient().post(path(journey), { customerId: customer })).status).toBe(401);
    const cases: [string, unknown, number, string][] = [
      [journey, { customerId: 'nope' }, 400, 'invalid_request'],
      [journey, { customerIds: [] }, 400, 'invalid_request'],
      [journey, { customerId: customer, extra: 1 }, 400, 'invalid_request'],
      [journey, '{"customerId": ', 400, 'invalid_json'],
      [journey, { customerId: '00000000-0000-4000-8000-000000000000' }, 404, 'not_found'],
      [journey, { customerIds: [customer, '00000000-0000-4000-8000-000000000000'] }, 404, 'not_found'],
      ['00000000-0000-4000-8000-000000000000', { customerId: customer }, 404, 'not_found'],
      [eventJourney, { customerId: customer }, 409, 'entry_not_api'],
      [paused, { customerId: customer }, 409, 'journey_not_active'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await t.api.post(path(id), body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await entriesOf(appDatabase(), journey)).toEqual([]);
    expect((await t.api.get(path(journey))).status).toBe(405);
  });

  it('enters one customer (re-entry rules apply) and many through the batch workflow', { timeout: 90_000 }, async () => {
    const journey = await apiJourney();
    const one = await createCustomer(appDatabase(), t.tenant.id);
    const res = await t.api.post(`/api/v1/journeys/${journey}/entries`, { customerId: one, properties: { source: 'crm' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ journeyId: journey, version: 1, entered: true, workflowIds: [`journey:${t.tenant.id}:${journey}:${one}`] });
    await eventually(async () => (await entriesOf(appDatabase(), journey)).some((e) => e.status === 'completed'), 60_000, 'the run to complete');
    expect(await attributes(one)).toEqual({ entered: 1 });
    // reEntry never: a second call enters nothing.
    const again = await t.api.post(`/api/v1/journeys/${journey}/entries`, { customerId: one });
    expect(again.body).toMatchObject({ entered: false, reason: 'never' });

    const many = await Promise.all([1, 2, 3].map(() => createCustomer(appDatabase(), t.tenant.id)));
    const bulk = await t.api.post(`/api/v1/journeys/${journey}/entries`, { customerIds: many });
    expect(bulk.status).toBe(202);
    expect(bulk.body.workflowIds).toHaveLength(3);
    expect(bulk.body.batchWorkflowId).toMatch(/^journey-batch:/);
    await eventually(async () => (await entriesOf(appDatabase(), journey)).filter((e) => e.status === 'completed').length === 4, 60_000, 'the batch to complete');
    for (const c of many) expect(await attributes(c)).toEqual({ entered: 1 });
  });
});
