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

describe('review tasks', () => {
  const home = { street: 'Mitre 1500', city: 'Rosario', province: 'Santa Fe', postalCode: 'S2000ABC' };
  const reviewsOf = async () => (await t.api.get('/api/v1/identity/reviews')).body.data as { id: string; probability: number; levels: Record<string, string>; a: { externalId: string }; b: { externalId: string } }[];
  const pairIs = (r: { a: { externalId: string }; b: { externalId: string } }, x: string, y: string) =>
    [r.a.externalId, r.b.externalId].sort().join() === [x, y].sort().join();

  it('opens a review for a probable match (same name and address, different birth date) and a rejection keeps them apart', async () => {
    await t.api.post('/api/v1/profiles', {
      source: 'crm',
      records: [
        { externalId: 'father', firstName: 'Jorge', lastName: 'Pereyra', birthDate: '1955-07-12', address: home },
        { externalId: 'son', firstName: 'Jorge', lastName: 'Pereyra', birthDate: '1980-03-04', address: home },
      ],
    });
    const review = await eventually(async () => (await reviewsOf()).find((r) => pairIs(r, 'father', 'son')), 30_000, 'review');
    expect(review.probability).toBeGreaterThanOrEqual(0.95);
    expect(review.probability).toBeLessThan(0.999);
    expect(review.levels).toMatchObject({ firstName: 'exact', lastName: 'exact', street: 'exact' });

    const bad = await t.api.post(`/api/v1/identity/reviews/${review.id}`, { decision: 'maybe', reason: 'unsure' });
    expect(bad.status).toBe(400);
    const rejected = await t.api.post(`/api/v1/identity/reviews/${review.id}`, { decision: 'reject', reason: 'Father and son' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    const again = await t.api.post(`/api/v1/identity/reviews/${review.id}`, { decision: 'merge', reason: 'changed my mind' });
    expect(again.status).toBe(409);
    expect((await reviewsOf()).some((r) => pairIs(r, 'father', 'son'))).toBe(false);
    const father = await customerIdOf('crm', 'father');
    const history = (await t.api.get(`/api/v1/customers/${father}/identity-history`)).body.data;
    expect(history[0]).toMatchObject({ kind: 'review_reject', reason: 'Father and son' });
  });

  it('a merge decision merges the two customers through the merge workflow', async () => {
    await t.api.post('/api/v1/profiles', {
      source: 'crm',
      records: [
        { externalId: 'rev-a', firstName: 'Marta', lastName: 'Quiroga', birthDate: '1950-02-02', address: { ...home, street: 'Oroño 900' } },
        { externalId: 'rev-b', firstName: 'Marta', lastName: 'Quiroga', birthDate: '1985-09-09', address: { ...home, street: 'Oroño 900' } },
      ],
    });
    const review = await eventually(async () => (await reviewsOf()).find((r) => pairIs(r, 'rev-a', 'rev-b')), 30_000, 'review');
    const merged = await t.api.post(`/api/v1/identity/reviews/${review.id}`, { decision: 'merge', reason: 'One birth date was wrong (checked with her)' });
    expect(merged.status).toBe(200);
    expect(merged.body.status).toBe('merged');
    expect(await customerIdOf('crm', 'rev-a')).toBe(await customerIdOf('crm', 'rev-b'));
    const history = (await t.api.get(`/api/v1/customers/${merged.body.survivorId}/identity-history`)).body.data;
    expect(history[0]).toMatchObject({ kind: 'review_merge', reason: 'One birth date was wrong (checked with her)' });
  });
});
