import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/temporal.ts';
import { apiTenant, closeAppDatabase, type ApiResponse } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
const N = 23;

beforeAll(async () => {
  t = await apiTenant('customers');
  const records = Array.from({ length: N }, (_, i) => ({
    externalId: `p-${i}`,
    email: `person${i}@shop.example`,
    firstName: i === 7 ? 'Valentina' : `Name${i}`,
    lastName: 'Test',
    // Documents far apart: DNIs one digit apart, with the same last name and near-identical emails, look like
    // one person with a typo to the probabilistic pass (see docs/decisions/004-identity-resolution.md).
    dni: String(20_000_000 + i * 1_000_003),
    phone: `+54 9 11 4000-${String(1000 + i)}`,
  }));
  await t.api.post('/api/v1/profiles', { source: 'erp', records });
  await eventually(async () => (await t.api.get('/api/v1/customers?limit=200')).body.data.length === N, 120_000, 'customers');
});
afterAll(closeAppDatabase);

describe('GET /api/v1/customers', () => {
  it('pages with a cursor through every customer exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: ApiResponse = await t.api.get(`/api/v1/customers?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(N);
    expect(seen).toHaveLength(N);
  });

  it('searches by email, name, document and phone', async () => {
    const q = async (term: string) => (await t.api.get(`/api/v1/customers?q=${encodeURIComponent(term)}`)).body.data.map((c: { email: string }) => c.email);
    expect(await q('person12@')).toEqual(['person12@shop.example']);
    expect(await q('valentina')).toEqual(['person7@shop.example']);
    expect(await q('35000045')).toEqual(['person15@shop.example']);
    expect(await q('4000-1003')).toEqual(['person3@shop.example']);
    expect(await q('nobody-like-this')).toEqual([]);
  });

  it('rejects bad query parameters with field errors', async () => {
    const limit = await t.api.get('/api/v1/customers?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'limit' })] });
    const cursor = await t.api.get('/api/v1/customers?cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.details[0].path).toBe('cursor');
  });
});

describe('GET /api/v1/customers/{id}', () => {
  it('returns the 360° profile with empty slots for later capabilities', async () => {
    const [first] = (await t.api.get('/api/v1/customers?q=person3@')).body.data;
    const res = await t.api.get(`/api/v1/customers/${first.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: first.id,
      email: 'person3@shop.example',
      documentNumber: '23000009',
      orderSummary: { count: 0, revenueMinor: 0 },
      sourceProfiles: [expect.objectContaining({ source: 'erp', externalId: 'p-3' })],
      scores: null,
      segments: [],
      journeys: [],
      messages: [],
    });
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await t.api.get(`/api/v1/customers/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});
