// A key of tenant A can never read or change tenant B's data.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey, createApiKey } from '#db/queries/tenants.ts';
import { eventually } from '../support/temporal.ts';
import { apiClient, apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';

let a: Awaited<ReturnType<typeof apiTenant>>;
let b: Awaited<ReturnType<typeof apiTenant>>;
let aCustomerId: string;

beforeAll(async () => {
  [a, b] = await Promise.all([apiTenant('tenant-a'), apiTenant('tenant-b')]);
  await a.api.post('/api/v1/profiles', { source: 'erp', records: [{ externalId: 'same-id', email: 'secret@a.example' }] });
  await b.api.post('/api/v1/profiles', { source: 'erp', records: [{ externalId: 'same-id', email: 'other@b.example' }] });
  aCustomerId = await eventually(async () => (await a.api.get('/api/v1/customers')).body.data[0]?.id, 30_000, 'customer of A');
  await eventually(async () => (await b.api.get('/api/v1/customers')).body.data.length === 1, 30_000, 'customer of B');
});
afterAll(closeAppDatabase);

describe('tenant isolation', () => {
  it('B cannot read A’s customer, by id or by search', async () => {
    const direct = await b.api.get(`/api/v1/customers/${aCustomerId}`);
    expect(direct.status).toBe(404);
    const search = await b.api.get('/api/v1/customers?q=secret');
    expect(search.body.data).toEqual([]);
    const list = await b.api.get('/api/v1/customers');
    expect(list.body.data.map((c: { email: string }) => c.email)).toEqual(['other@b.example']);
  });

  it('the same externalId and messageId in two tenants are separate records', async () => {
    const messageId = randomUUID();
    const msg = { type: 'track', messageId, userId: 'u', event: 'X' };
    expect((await a.api.post('/api/v1/events', { batch: [msg] })).body.inserted).toBe(1);
    expect((await b.api.post('/api/v1/events', { batch: [msg] })).body.inserted).toBe(1);
    const rows = await appDatabase().$client.query('select tenant_id from events where message_id = $1 order by tenant_id', [messageId]);
    expect(rows.rows.map((r) => r.tenant_id).sort()).toEqual([a.tenant.id, b.tenant.id].sort());
  });

  it('writes with B’s key never touch A’s profile', async () => {
    await b.api.post('/api/v1/profiles', { source: 'erp', records: [{ externalId: 'same-id', email: 'changed@b.example' }] });
    const aProfile = await a.api.get(`/api/v1/customers/${aCustomerId}`);
    expect(aProfile.body.sourceProfiles[0].email).toBe('secret@a.example');
  });
});

describe('API keys', () => {
  it('rejects missing, malformed and unknown keys with 401', async () => {
    for (const client of [apiClient(), apiClient('ncdp_unknown'), apiClient('not-even-a-key')]) {
      const res = await client.get('/api/v1/customers');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('a revoked key stops working', async () => {
    const { id, key } = await createApiKey(appDatabase(), a.tenant.id, 'to revoke');
    expect((await apiClient(key).get('/api/v1/customers')).status).toBe(200);
    await revokeApiKey(appDatabase(), a.tenant.id, id);
    // The API caches key lookups for up to 30 s; a key never used before is looked up fresh.
    const { id: id2, key: key2 } = await createApiKey(appDatabase(), a.tenant.id, 'revoked before use');
    await revokeApiKey(appDatabase(), a.tenant.id, id2);
    expect((await apiClient(key2).get('/api/v1/customers')).status).toBe(401);
  });
});
