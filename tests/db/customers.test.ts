import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '#core/ingest/events.ts';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import type { Db } from '#db/client.ts';
import { decodeCursor, encodeCursor, getCustomer, listCustomers } from '#db/queries/customers.ts';
import { foldIdentifyEvents, insertEvents, upsertProfiles } from '#db/queries/ingest.ts';
import { resolvePendingIdentities } from '#db/queries/identity.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { createTestDatabase } from '../support/db.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let tenantA: string;
let tenantB: string;
/** Customer id by the external id of its (only) source profile, tenant A. */
const byExt = new Map<string, string>();
let allA: string[];
let otherTenantCustomer: string;

const q = <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => db.$client.query<R>(sql, params).then((r) => r.rows);
const newTenant = async () => (await createTenant(db, { slug: `cust-${randomBytes(4).toString('hex')}` })).id;
const RECEIVED = new Date('2024-06-01T12:00:00.000Z');

const people: ProfileRecord[] = [
  { externalId: 'ana', email: 'ana.perez@example.com', firstName: 'Ana', lastName: 'Perez', dni: '30123456', phone: '+54 11 5555-1234' },
  { externalId: 'juan', email: 'jgomez@mail.com', firstName: 'Juan', lastName: 'Gomez', cuit: '20276543211', phone: '(0341) 155-987654' },
  { externalId: 'maria', email: 'maria_luz@example.com', firstName: 'María', lastName: 'Luz' },
];
const FILLERS = 20;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  tenantA = await newTenant();
  tenantB = await newTenant();

  await upsertProfiles(db.$client, tenantA, 'erp', people);
  await resolvePendingIdentities(db, tenantA, 100);
  // Fillers resolved in small runs: customers of one run share created_at, so paging must break ties on id.
  await upsertProfiles(
    db.$client,
    tenantA,
    'erp',
    Array.from({ length: FILLERS }, (_, i) => ({ externalId: `f-${i}`, email: `filler${i}@example.org`, firstName: 'Filler', lastName: `N${i}` })),
  );
  while ((await resolvePendingIdentities(db, tenantA, 7)).profiles > 0);

  // A customer known through events: identify + tracks, plus some orders.
  const events: EventMessage[] = [
    { type: 'identify', messageId: 'e-1', userId: 'web-7', traits: { email: 'web7@example.com', firstName: 'Web' }, timestamp: '2024-05-01T10:00:00Z' },
    { type: 'track', messageId: 'e-2', userId: 'web-7', event: 'Product Viewed', properties: { sku: 'A1' }, timestamp: '2024-05-02T10:00:00Z' },
    { type: 'track', messageId: 'e-3', userId: 'web-7', event: 'Order Completed', properties: { total: 35 }, timestamp: '2024-05-03T10:00:00Z' },
    { type: 'track', messageId: 'e-4', userId: 'someone-else', event: 'Product Viewed', timestamp: '2024-05-04T10:00:00Z' },
  ];
  await insertEvents(db.$client, tenantA, events, RECEIVED);
  // same user id in another tenant: must never show up in tenant A's customer
  await insertEvents(db.$client, tenantB, [{ type: 'track', messageId: 'b-1', userId: 'web-7', event: 'Leak', timestamp: '2024-05-05T10:00:00Z' }], RECEIVED);
  await foldIdentifyEvents(db, tenantA, 100);
  await resolvePendingIdentities(db, tenantA, 100);

  for (const row of await q<{ external_id: string; customer_id: string }>('select external_id, customer_id from source_profiles where tenant_id = $1', [tenantA]))
    byExt.set(row.external_id, row.customer_id);
  allA = (await q<{ id: string }>('select id from customers where tenant_id = $1', [tenantA])).map((r) => r.id);

  await upsertProfiles(db.$client, tenantB, 'erp', [{ externalId: 'ana', email: 'ana.perez@example.com', firstName: 'Ana', lastName: 'Perez', dni: '30123456' }]);
  otherTenantCustomer = (await resolvePendingIdentities(db, tenantB, 100)).createdCustomerIds[0]!;

  const web = byExt.get('web-7')!;
  await q(
    `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at) values
       ($1, 'vtex', 'o-1', $2, 'invoiced', 'ARS', 100000, '2024-01-15T12:00:00Z'),
       ($1, 'vtex', 'o-2', $2, 'paid', 'ARS', 250050, '2024-03-01T09:30:00Z'),
       ($1, 'vtex', 'o-3', $2, 'cancelled', 'ARS', 999999, '2024-04-01T00:00:00Z')`,
    [tenantA, web],
  );
});

afterAll(async () => {
  await t?.drop();
});

async function walk(tenant: string, limit: number, query?: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const decoded = cursor === null ? undefined : decodeCursor(cursor);
    if (cursor !== null) expect(decoded, `cursor ${cursor}`).toBeDefined();
    const page = await listCustomers(db, tenant, { q: query, limit, cursor: decoded });
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((c) => c.id));
    cursor = page.nextCursor;
    if (cursor !== null) expect(page.data).toHaveLength(limit);
    pages++;
    expect(pages).toBeLessThan(100);
  } while (cursor !== null);
  return { ids, pages };
}

const search = async (query: string) => (await listCustomers(db, tenantA, { q: query, limit: 50 })).data.map((c) => c.id).sort();
const ids = (...exts: string[]) => exts.map((e) => byExt.get(e)!).sort();

describe('listCustomers', () => {
  it('has the customers the fixture created', () => {
    expect(allA).toHaveLength(people.length + FILLERS + 1);
    expect(byExt.size).toBe(allA.length);
  });

  it('pages through every customer exactly once, newest first, with a limit smaller than the total', async () => {
    const { ids: seen, pages } = await walk(tenantA, 4);
    expect(pages).toBe(Math.ceil(allA.length / 4));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...allA].sort());
    const expected = await q<{ id: string }>('select id from customers where tenant_id = $1 order by created_at desc, id desc', [tenantA]);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('pages correctly when the limit divides the total, and returns no cursor on the last page', async () => {
    const { ids: seen } = await walk(tenantA, allA.length);
    expect(seen).toHaveLength(allA.length);
    const single = await listCustomers(db, tenantA, { limit: allA.length + 1 });
    expect(single.nextCursor).toBeNull();
    const { ids: oneByOne } = await walk(tenantA, 1);
    expect(new Set(oneByOne).size).toBe(allA.length);
  });

  it('returns summaries with ISO timestamps', async () => {
    const { data } = await listCustomers(db, tenantA, { q: 'ana.perez', limit: 10 });
    expect(data).toEqual([
      {
        id: byExt.get('ana'),
        email: 'ana.perez@example.com',
        phone: '+54 11 5555-1234',
        documentNumber: '30123456',
        firstName: 'Ana',
        lastName: 'Perez',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      },
    ]);
  });

  it('searches by email substring, case-insensitively', async () => {
    expect(await search('perez@exa')).toEqual(ids('ana'));
    expect(await search('ANA.PEREZ')).toEqual(ids('ana'));
    expect(await search('@example.org')).toHaveLength(FILLERS);
  });

  it('searches by name (first, last, or "first last")', async () => {
    expect(await search('gomez')).toEqual(ids('juan'));
    expect(await search('Juan Gom')).toEqual(ids('juan'));
    expect(await search('  perez  ')).toEqual(ids('ana'));
    expect(await search('filler n1')).toEqual(ids('f-1', ...Array.from({ length: 10 }, (_, i) => `f-1${i}`)));
  });

  it('searches by document number and by phone digits', async () => {
    expect(await search('30123456')).toEqual(ids('ana'));
    expect(await search('20276543211')).toEqual(ids('juan'));
    expect(await search('5555-1234')).toEqual(ids('ana'));
    expect(await search('155 987654')).toEqual(ids('juan'));
    // fewer than 6 digits is not a phone or document search
    expect(await search('5555')).toEqual([]);
  });

  it('treats LIKE wildcards in the query literally', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual(ids('maria'));
  });

  it("never returns another tenant's customers", async () => {
    const { ids: seen } = await walk(tenantB, 10);
    expect(seen).toEqual([otherTenantCustomer]);
    expect(await search('ana.perez')).not.toContain(otherTenantCustomer);
  });

  it('an empty search lists everyone', async () => {
    expect((await listCustomers(db, tenantA, { q: '   ', limit: 200 })).data).toHaveLength(allA.length);
  });
});

describe('decodeCursor', () => {
  it('round-trips a cursor', () => {
    const c = { createdAt: '2024-06-01T12:00:00.123456Z', id: '0b5f6a4e-1f7c-4f55-9a57-2d0c1f6b8e10' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it.each([
    ['garbage', 'garbage'],
    ['empty', ''],
    ['no separator', Buffer.from('2024-06-01T12:00:00Z').toString('base64url')],
    ['bad date', Buffer.from('yesterday|0b5f6a4e-1f7c-4f55-9a57-2d0c1f6b8e10').toString('base64url')],
    ['bad id', Buffer.from('2024-06-01T12:00:00Z|1; drop table customers').toString('base64url')],
  ])('rejects %s', (_label, raw) => {
    expect(decodeCursor(raw)).toBeUndefined();
  });
});

describe('getCustomer', () => {
  it("returns undefined for another tenant's customer, an unknown id and a malformed id", async () => {
    expect(await getCustomer(db, tenantA, otherTenantCustomer)).toBeUndefined();
    expect(await getCustomer(db, tenantB, byExt.get('ana')!)).toBeUndefined();
    expect(await getCustomer(db, tenantA, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await getCustomer(db, tenantA, 'not-a-uuid')).toBeUndefined();
  });

  it('returns the golden record with its source profiles and an empty order summary', async () => {
    const c = (await getCustomer(db, tenantA, byExt.get('ana')!))!;
    expect(c).toMatchObject({ id: byExt.get('ana'), email: 'ana.perez@example.com', documentNumber: '30123456', birthDate: null, address: null });
    expect(c.fieldSources.email).toMatchObject({ source: 'erp', externalId: 'ana' });
    expect(c.sourceProfiles).toEqual([
      expect.objectContaining({ source: 'erp', externalId: 'ana', email: 'ana.perez@example.com', dni: '30123456', cuit: null, attributes: {} }),
    ]);
    expect(c.orderSummary).toEqual({ count: 0, revenueMinor: 0, currency: null, firstOrderAt: null, lastOrderAt: null });
    expect(c.recentEvents).toEqual([]);
  });

  it("returns recent events joined through the customer's 'events' profile, newest first, and the order summary", async () => {
    const c = (await getCustomer(db, tenantA, byExt.get('web-7')!))!;
    expect(c).toMatchObject({ email: 'web7@example.com', firstName: 'Web' });
    expect(c.sourceProfiles).toEqual([expect.objectContaining({ source: 'events', externalId: 'web-7' })]);
    expect(c.recentEvents).toEqual([
      { messageId: 'e-3', type: 'track', event: 'Order Completed', properties: { total: 35 }, traits: null, timestamp: '2024-05-03T10:00:00.000Z' },
      { messageId: 'e-2', type: 'track', event: 'Product Viewed', properties: { sku: 'A1' }, traits: null, timestamp: '2024-05-02T10:00:00.000Z' },
      { messageId: 'e-1', type: 'identify', event: null, properties: null, traits: { email: 'web7@example.com', firstName: 'Web' }, timestamp: '2024-05-01T10:00:00.000Z' },
    ]);
    // cancelled orders do not count
    expect(c.orderSummary).toEqual({
      count: 2,
      revenueMinor: 350050,
      currency: 'ARS',
      firstOrderAt: '2024-01-15T12:00:00.000Z',
      lastOrderAt: '2024-03-01T09:30:00.000Z',
    });
  });
});
