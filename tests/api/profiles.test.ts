import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/temporal.ts';
import { apiTenant, appDatabase, closeAppDatabase } from '../support/api.ts';

let t: Awaited<ReturnType<typeof apiTenant>>;
beforeAll(async () => {
  t = await apiTenant('profiles');
});
afterAll(closeAppDatabase);

describe('POST /api/v1/profiles', () => {
  const records = [
    { externalId: 'erp-1', email: ' Martin.Rios@Example.com ', dni: '31.456.789', firstName: 'Martín', lastName: 'Ríos', birthDate: '1985-04-12' },
    { externalId: 'erp-2', phone: '+54 9 11 5555-1234', cuit: '20-31456789-1', address: { city: 'Rosario', province: 'Santa Fe' } },
  ];

  it('upserts idempotently on (source, externalId) and reports what changed', async () => {
    const first = await t.api.post('/api/v1/profiles', { source: 'erp', records });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: 2, inserted: 2, updated: 0, unchanged: 0 });
    const again = await t.api.post('/api/v1/profiles', { source: 'erp', records });
    expect(again.body).toEqual({ received: 2, inserted: 0, updated: 0, unchanged: 2 });
    const changed = await t.api.post('/api/v1/profiles', { source: 'erp', records: [{ ...records[0], lastName: 'Ríos Paz' }] });
    expect(changed.body).toEqual({ received: 1, inserted: 0, updated: 1, unchanged: 0 });
  });

  it('makes one customer per profile with the latest data', async () => {
    const customers = await eventually(async () => {
      const list = await t.api.get('/api/v1/customers?limit=10');
      const rios = list.body.data.find((c: { email: string }) => c.email === 'martin.rios@example.com');
      return list.body.data.length === 2 && rios?.lastName === 'Ríos Paz' && list.body.data;
    }, 30_000, 'customers from profiles');
    expect(customers).toHaveLength(2);
    const withPhone = customers.find((c: { phone: string | null }) => c.phone);
    const full = await t.api.get(`/api/v1/customers/${withPhone.id}`);
    expect(full.body.sourceProfiles).toEqual([expect.objectContaining({ source: 'erp', externalId: 'erp-2', cuit: '20-31456789-1' })]);
    expect(full.body.address).toEqual({ city: 'Rosario', province: 'Santa Fe' });
    expect(full.body.fieldSources.phone).toMatchObject({ source: 'erp', externalId: 'erp-2' });
  });

  it('rejects a bad batch whole and writes nothing', async () => {
    const res = await t.api.post('/api/v1/profiles', {
      source: 'erp',
      records: [{ externalId: 'erp-3', email: 'ok@example.com' }, { externalId: 'erp-4', email: 'not-an-email' }, { externalId: 'erp-3' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_batch');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 1, path: 'email' }),
        expect.objectContaining({ index: 2, path: 'externalId' }),
      ]),
    );
    const stored = await appDatabase().$client.query('select 1 from source_profiles where tenant_id = $1 and external_id = $2', [t.tenant.id, 'erp-3']);
    expect(stored.rowCount).toBe(0);
  });
});
