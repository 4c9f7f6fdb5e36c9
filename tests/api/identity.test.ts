// Identity resolution through the API, end to end: ingest → workflow → merged customers, look-ups,
// manual merge and unmerge as Temporal workflows, review tasks and settings.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Connection, Client } from '@temporalio/client';
import { eventually } from '../support/temporal.ts';
import { apiTenant, closeAppDatabase, type ApiResponse } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant('identity');
});
afterAll(closeAppDatabase);

const lookup = (query: string) => t.api.get(`/api/v1/customers/lookup?${query}`);
const customerIdOf = (source: string, externalId: string) =>
  eventually(async () => (await lookup(`source=${source}&externalId=${externalId}`)).body.id as string | undefined, 30_000, `${source}/${externalId}`);

describe('resolution through the ingest workflow', () => {
  it('merges profiles of one person from different sources and answers look-ups with the survivor', async () => {
    await t.api.post('/api/v1/profiles', { source: 'erp', records: [{ externalId: 'E-77', email: 'Carla.Diaz@Example.com', firstName: 'Carla' }] });
    const erpCustomer = await customerIdOf('erp', 'E-77');
    await t.api.post('/api/v1/profiles', {
      source: 'vtex',
      records: [{ externalId: 'V-9', email: 'carla.diaz@example.com', cuit: '27-28555444-1', phone: '+54 9 351 555-4444', lastName: 'Díaz' }],
    });
    await eventually(async () => (await lookup('source=vtex&externalId=V-9')).body.id === erpCustomer, 30_000, 'vtex profile joins');
    const full = await t.api.get(`/api/v1/customers/${erpCustomer}`);
    expect(full.body).toMatchObject({ email: 'carla.diaz@example.com', firstName: 'Carla', lastName: 'Díaz' });
    expect(full.body.sourceProfiles.map((p: { source: string }) => p.source).sort()).toEqual(['erp', 'vtex']);

    for (const q of ['email=CARLA.DIAZ@example.com', 'document=27-28555444-1', 'document=28555444', 'phone=0351 15 555-4444']) {
      const res = await lookup(q);
      expect(res.status, q).toBe(200);
      expect(res.body.id, q).toBe(erpCustomer);
    }
    expect((await lookup('email=nobody@example.com')).status).toBe(404);
    const bad = await lookup('email=a@b.com&phone=123456');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});

describe('manual merge and unmerge', () => {
  it('merges two customers (the older survives), keeps the absorbed id resolving, and unmerge restores it', async () => {
    await t.api.post('/api/v1/profiles', { source: 'erp', records: [{ externalId: 'M-1', email: 'mono.one@example.com', firstName: 'Mono' }] });
    const older = await customerIdOf('erp', 'M-1');
    await t.api.post('/api/v1/profiles', { source: 'shop', records: [{ externalId: 'M-2', email: 'mono.two@example.com', lastName: 'Uno' }] });
    const newer = await customerIdOf('shop', 'M-2');

    const merged = await t.api.post(`/api/v1/customers/${newer}/merge`, { otherCustomerId: older, reason: 'Same person, two emails (support ticket 123)' });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ survivorId: older, absorbedId: newer });
    const viaAbsorbed = await t.api.get(`/api/v1/customers/${newer}`);
    expect(viaAbsorbed.body.id).toBe(older);
    expect(viaAbsorbed.body.aliases).toContain(newer);

    const history: ApiResponse = await t.api.get(`/api/v1/customers/${newer}/identity-history`);
    expect(history.body.data[0]).toMatchObject({ kind: 'manual_merge', reason: 'Same person, two emails (support ticket 123)' });
    expect(history.body.data[0].actor).toMatch(/^api-key:/);

    const again = await t.api.post(`/api/v1/customers/${older}/merge`, { otherCustomerId: newer, reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    const profileId = viaAbsorbed.body.sourceProfiles.find((p: { externalId: string }) => p.externalId === 'M-2').id;
    const un = await t.api.post(`/api/v1/customers/${older}/unmerge`, { sourceProfileIds: [profileId], reason: 'Support confirmed two people' });
    expect(un.status).toBe(200);
    expect(un.body).toMatchObject({ customerId: older, restoredCustomerId: newer, restored: true });
    expect((await t.api.get(`/api/v1/customers/${newer}`)).body.id).toBe(newer);
    const kinds = (await t.api.get(`/api/v1/customers/${older}/identity-history`)).body.data.map((h: { kind: string }) => h.kind);
    expect(kinds.slice(0, 2)).toEqual(['unmerge', 'manual_merge']);
  });

  it('validates merge and unmerge requests', async () => {
    const some = await customerIdOf('erp', 'E-77');
    const noReason = await t.api.post(`/api/v1/customers/${some}/merge`, { otherCustomerId: some });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].path).toBe('reason');
    const unknown = await t.api.post(`/api/v1/customers/${some}/merge`, { otherCustomerId: '00000000-0000-4000-8000-000000000000', reason: 'test it' });
    expect(unknown.status).toBe(404);
    const foreign = await t.api.post(`/api/v1/customers/${some}/unmerge`, { sourceProfileIds: ['00000000-0000-4000-8000-000000000000'], reason: 'test it' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('invalid_request');
  });
});

describe('full re-resolution', () => {
  it('starts a visible workflow that finishes and answers 202 with where to watch it', async () => {
    const res = await t.api.post('/api/v1/identity/resolve', {});
    expect(res.status).toBe(202);
    expect(res.body.workflowId).toBe(`identity-resolve:${t.tenant.id}`);
    expect(res.body.temporalUiUrl).toContain(encodeURIComponent(res.body.workflowId));
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const client = new Client({ connection });
      const result = await client.workflow.getHandle(res.body.workflowId, res.body.runId).result();
      expect(result.total).toBeGreaterThanOrEqual(4);
      expect(result.done).toBe(result.total);
    } finally {
      await connection.close();
    }
  });
});

describe('settings', () => {
  it('reads defaults and rejects inconsistent thresholds', async () => {
    const current = await t.api.get('/api/v1/identity/settings');
    expect(current.body).toMatchObject({ rules: ['document', 'email', 'phone_last_name'], probabilistic: true });
    const bad = await t.api.call('PUT', '/api/v1/identity/settings', { ...current.body, reviewThreshold: 0.999, autoMergeThreshold: 0.9 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('reviewThreshold');
    const ok = await t.api.call('PUT', '/api/v1/identity/settings', { ...current.body, sourcePriority: { email: ['erp', 'vtex'] } });
    expect(ok.status).toBe(200);
    expect((await t.api.get('/api/v1/identity/settings')).body.sourcePriority).toEqual({ email: ['erp', 'vtex'] });
  });
});
