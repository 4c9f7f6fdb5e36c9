// The segments API end to end against the running app and its worker: CRUD with the recompute started on save,
// validation errors with paths, preview, members, changes, archive rules, and a track event moving a membership.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';
import { eventually } from '../support/temporal.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  [t, other] = await Promise.all([apiTenant('segments'), apiTenant('segments-other')]);
});
afterAll(closeAppDatabase);

const q = (sql: string, params: unknown[] = []) => appDatabase().$client.query(sql, params).then((r) => r.rows);
const gold = { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } };

async function customers(tenantId: string, n: number, attrs: Record<string, unknown>): Promise<string[]> {
  const rows = await q(
    `insert into customers (tenant_id, email, first_name, attributes) select $1, 'c' || g || '-' || $3 || '@example.com', 'C' || g, $2::jsonb from generate_series(1, $4) g returning id`,
    [tenantId, JSON.stringify(attrs), randomUUID().slice(0, 8), n],
  );
  return rows.map((r) => r.id as string);
}

describe('/api/v1/segments', () => {
  it('refuses bad input with a 4xx, a code and the path of the bad part of the rule', async () => {
    expect((await apiClient().get('/api/v1/segments')).status).toBe(401);
    const cases: [unknown, string, string][] = [
      [{ name: 'x' }, 'invalid_request', 'definition'],
      [{ name: '', definition: gold }, 'invalid_request', 'name'],
      [{ name: 'x', definition: { kind: 'group', op: 'and', rules: [gold, { kind: 'score', score: 'churnRisk', predicate: { type: 'string', op: 'equals', value: 'x' } }] } }, 'invalid_request', 'definition.rules.1.predicate.type'],
      [{ name: 'x', definition: { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'equals', value: 'nope' } } }, 'invalid_request', 'definition.predicate.value'],
      [{ name: 'x', definition: { kind: 'segment', segmentId: randomUUID() } }, 'invalid_request', 'definition.segmentId'],
      [{ name: 'x', definition: gold, extra: 1 }, 'invalid_request', ''],
    ];
    for (const [body, code, path] of cases) {
      const res = await t.api.post('/api/v1/segments', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
    expect((await t.api.post('/api/v1/segments', '{"name": ')).body.error.code).toBe('invalid_json');
    expect((await t.api.get('/api/v1/segments')).body).toEqual({ data: [] });
  });

  it('creates a segment, computes its members, lists, changes and archives it', async () => {
    const golds = await customers(t.tenant.id, 3, { tier: 'gold' });
    await customers(t.tenant.id, 2, { tier: 'silver' });
    const created = await t.api.post('/api/v1/segments', { name: 'Gold', description: 'Gold tier', definition: gold });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Gold', status: 'active', timeDependent: false, definition: gold });
    const id = created.body.id as string;

    // The recompute workflow ran on the app's worker.
    const seg = await eventually(async () => {
      const r = await t.api.get(`/api/v1/segments/${id}`);
      return r.body.lastComputedAt ? r.body : undefined;
    }, 30_000, 'the first recompute');
    expect(seg.memberCount).toBe(3);
    const page1 = await t.api.get(`/api/v1/segments/${id}/members?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    const page2 = await t.api.get(`/api/v1/segments/${id}/members?limit=2&after=${page1.body.next}`);
    expect(page2.body).toMatchObject({ next: null });
    expect([...page1.body.data, ...page2.body.data].map((m: { id: string }) => m.id).sort()).toEqual([...golds].sort());
    expect(page1.body.data[0]).toMatchObject({ email: expect.stringMatching(/@example\.com$/), enteredAt: expect.any(String) });
    expect((await t.api.get(`/api/v1/segments/${id}/members?limit=0`)).body.error.code).toBe('invalid_request');

    const changes = await t.api.get(`/api/v1/segments/${id}/changes?days=7`);
    expect(changes.body.buckets).toEqual([{ at: expect.any(String), entered: 3, exited: 0 }]);
    expect(changes.body.recent).toHaveLength(3);

    expect((await t.api.get('/api/v1/segments')).body.data.map((s: { id: string }) => s.id)).toEqual([id]);
    const dup = await t.api.post('/api/v1/segments', { name: 'Gold', definition: gold });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('segment_name_taken');

    // A narrower rule: the recompute closes two episodes.
    const patched = await t.api.call('PATCH', `/api/v1/segments/${id}`, { definition: { kind: 'group', op: 'and', rules: [gold, { kind: 'profile', field: 'firstName', predicate: { type: 'string', op: 'equals', value: 'C1' } }] } });
    expect(patched.status).toBe(200);
    await eventually(async () => (await t.api.get(`/api/v1/segments/${id}`)).body.memberCount === 1, 30_000, 'the recompute after the change');
    expect((await t.api.call('PATCH', `/api/v1/segments/${id}`, {})).status).toBe(400);

    // Another tenant sees nothing.
    expect((await other.api.get(`/api/v1/segments/${id}`)).status).toBe(404);
    expect((await other.api.call('DELETE', `/api/v1/segments/${id}`)).status).toBe(404);

    // In use by another segment → 409; archive the dependent first.
    const dependent = await t.api.post('/api/v1/segments', { name: 'Gold subset', definition: { kind: 'segment', segmentId: id } });
    expect(dependent.status).toBe(201);
    const inUse = await t.api.call('DELETE', `/api/v1/segments/${id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('segment_in_use');
    expect((await t.api.call('DELETE', `/api/v1/segments/${dependent.body.id}`)).body.status).toBe('archived');
    expect((await t.api.call('DELETE', `/api/v1/segments/${id}`)).body.status).toBe('archived');
    expect((await t.api.get('/api/v1/segments')).body.data).toEqual([]);
    expect((await t.api.get('/api/v1/segments?status=archived')).body.data).toHaveLength(2);
  });

  it('refuses to archive a segment an active journey uses', async () => {
    const s = await t.api.post('/api/v1/segments', { name: 'Journey audience', definition: gold });
    const [j] = await q(`insert into journeys (tenant_id, name, status, draft, latest_version) values ($1, 'Welcome', 'active', '{}'::jsonb, 1) returning id`, [t.tenant.id]);
    await q(`insert into journey_versions (journey_id, version, tenant_id, definition) values ($1, 1, $2, $3::jsonb)`, [
      j!.id,
      t.tenant.id,
      JSON.stringify({ nodes: [{ id: 'entry', type: 'entry', trigger: { kind: 'segment_entered', segmentId: s.body.id } }] }),
    ]);
    const res = await t.api.call('DELETE', `/api/v1/segments/${s.body.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'segment_in_use', message: expect.stringContaining('Welcome') });
    await q(`update journeys set status = 'archived' where id = $1`, [j!.id]);
    expect((await t.api.call('DELETE', `/api/v1/segments/${s.body.id}`)).status).toBe(200);
  });

  it('previews a count and a sample of 20 without saving', async () => {
    const tenant = await apiTenant('segments-preview');
    await customers(tenant.tenant.id, 30, { tier: 'platinum' });
    const res = await tenant.api.post('/api/v1/segments/preview', { definition: { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'platinum' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 30, tookMs: expect.any(Number) });
    expect(res.body.sample).toHaveLength(20);
    expect(res.body.sample[0]).toMatchObject({ id: expect.any(String), email: expect.stringMatching(/@example\.com$/), firstName: expect.stringMatching(/^C/) });
    const bad = await tenant.api.post('/api/v1/segments/preview', { definition: { kind: 'orders', metric: 'count', predicate: { type: 'date', op: 'exists' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('definition.predicate.type');
    expect((await tenant.api.get('/api/v1/segments')).body.data).toEqual([]);
  });

  // The app's own worker runs the whole activation pass: refresh, then journey dispatch.
  it('a track event sent to the events API makes the customer a member', { timeout: 90_000 }, async () => {
    const tenant = await apiTenant('segments-events');
    const [c] = await customers(tenant.tenant.id, 1, {});
    await q(`insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution) values ($1, 'events', 'user-42', $2, false)`, [tenant.tenant.id, c]);
    const s = await tenant.api.post('/api/v1/segments', { name: 'Added to cart', definition: { kind: 'event', event: 'Product Added', window: { kind: 'last_days', days: 7 } } });
    await eventually(async () => (await tenant.api.get(`/api/v1/segments/${s.body.id}`)).body.lastComputedAt, 30_000, 'the first recompute');
    const sent = await tenant.api.post('/api/v1/events', { batch: [{ type: 'track', event: 'Product Added', userId: 'user-42', messageId: randomUUID(), properties: { sku: 'A-1' } }] });
    expect(sent.body.inserted).toBe(1);
    const members = await eventually(async () => {
      const r = await tenant.api.get(`/api/v1/segments/${s.body.id}/members`);
      return r.body.data.length ? r.body.data : undefined;
    }, 30_000, 'the customer to enter');
    expect(members.map((m: { id: string }) => m.id)).toEqual([c]);
  });
});
