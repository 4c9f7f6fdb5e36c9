import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '#core/ingest/events.ts';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import type { Db } from '#db/client.ts';
import { foldIdentifyEvents, insertEvents, tenantsWithPendingWork, upsertProfiles } from '#db/queries/ingest.ts';
import { resolvePendingIdentities } from '#db/queries/identity.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { createTestDatabase } from '../support/db.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

/** A bare tenant (no users: hashing a password is slow and not needed here). */
async function newTenant(): Promise<string> {
  const slug = `ingest-${randomBytes(4).toString('hex')}`;
  return (await createTenant(db, { slug })).id;
}

const RECEIVED = new Date('2024-06-01T12:00:00.000Z');

const track = (id: string, userId: string, extra: Partial<EventMessage> = {}): EventMessage =>
  ({ type: 'track', messageId: id, userId, event: 'Product Viewed', properties: { sku: id }, ...extra }) as EventMessage;
const identify = (id: string, who: { userId?: string; anonymousId?: string }, traits: Record<string, unknown>, extra: Partial<EventMessage> = {}): EventMessage =>
  ({ type: 'identify', messageId: id, ...who, traits, ...extra }) as EventMessage;

const q = <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => db.$client.query<R>(sql, params).then((r) => r.rows);

describe('insertEvents', () => {
  it('inserts a batch once; a retry of the same batch inserts nothing and reports duplicates', async () => {
    const tenant = await newTenant();
    const batch = Array.from({ length: 25 }, (_, i) => track(`m-${i}`, `u-${i % 5}`));
    expect(await insertEvents(db.$client, tenant, batch, RECEIVED)).toEqual({ received: 25, inserted: 25, duplicates: 0 });
    expect(await insertEvents(db.$client, tenant, batch, RECEIVED)).toEqual({ received: 25, inserted: 0, duplicates: 25 });
    const [{ n }] = (await q<{ n: number }>('select count(*)::int as n from events where tenant_id = $1', [tenant])) as [{ n: number }];
    expect(n).toBe(25);
    // a partial retry stores only the new messages
    const mixed = [...batch.slice(0, 3), track('m-new-1', 'u-1'), track('m-new-2', 'u-2')];
    expect(await insertEvents(db.$client, tenant, mixed, RECEIVED)).toEqual({ received: 5, inserted: 2, duplicates: 3 });
  });

  it('stores the fields of each message, defaulting the timestamp to when it was received', async () => {
    const tenant = await newTenant();
    await insertEvents(
      db.$client,
      tenant,
      [
        track('t-1', 'u-1', { timestamp: '2024-05-31T09:00:00-03:00', sentAt: '2024-05-31T12:00:05Z', context: { ip: '10.0.0.1' } }),
        identify('i-1', { anonymousId: 'anon-1' }, { email: 'a@b.co' }, { originalTimestamp: '2024-05-30T00:00:00Z' }),
        track('t-2', 'u-2'),
      ],
      RECEIVED,
    );
    const rows = await q(
      `select message_id, type, event, user_id, anonymous_id, properties, traits, context, processed,
              "timestamp" = $2::timestamptz as ts_is_received, sent_at is not null as has_sent_at
       from events where tenant_id = $1 order by message_id`,
      [tenant, RECEIVED.toISOString()],
    );
    expect(rows).toEqual([
      expect.objectContaining({ message_id: 'i-1', type: 'identify', event: null, user_id: null, anonymous_id: 'anon-1', properties: null, traits: { email: 'a@b.co' }, processed: false, ts_is_received: false }),
      expect.objectContaining({ message_id: 't-1', type: 'track', event: 'Product Viewed', user_id: 'u-1', properties: { sku: 't-1' }, traits: null, context: { ip: '10.0.0.1' }, ts_is_received: false, has_sent_at: true }),
      expect.objectContaining({ message_id: 't-2', ts_is_received: true, has_sent_at: false }),
    ]);
    const [t1] = await q<{ iso: string }>(
      `select to_char("timestamp" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as iso from events where tenant_id = $1 and message_id = 't-1'`,
      [tenant],
    );
    expect(t1!.iso).toBe('2024-05-31T12:00:00');
  });

  it('stores a messageId repeated inside one batch once', async () => {
    const tenant = await newTenant();
    const r = await insertEvents(db.$client, tenant, [track('dup', 'u-1'), track('other', 'u-1'), track('dup', 'u-2')], RECEIVED);
    expect(r).toEqual({ received: 3, inserted: 2, duplicates: 1 });
    const rows = await q<{ user_id: string }>(`select user_id from events where tenant_id = $1 and message_id = 'dup'`, [tenant]);
    expect(rows).toHaveLength(1);
  });

  it('is idempotent per tenant: the same messageId in two tenants is two rows', async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const batch = [track('shared-1', 'u-1'), track('shared-2', 'u-2')];
    expect((await insertEvents(db.$client, a, batch, RECEIVED)).inserted).toBe(2);
    expect((await insertEvents(db.$client, b, batch, RECEIVED)).inserted).toBe(2);
    const rows = await q<{ tenant_id: string }>(`select tenant_id from events where message_id = 'shared-1' and tenant_id = any($1::uuid[])`, [[a, b]]);
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([a, b].sort());
  });
});

const rec = (i: number, extra: Partial<ProfileRecord> = {}): ProfileRecord => ({
  externalId: `c-${i}`,
  email: `person${i}@example.com`,
  firstName: `First${i}`,
  lastName: `Last${i}`,
  address: { city: 'Rosario', province: 'Santa Fe' },
  attributes: { tier: 'silver' },
  ...extra,
});

const pendingOf = (tenant: string) =>
  q<{ external_id: string; pending_resolution: boolean }>(
    'select external_id, pending_resolution from source_profiles where tenant_id = $1 order by external_id',
    [tenant],
  ).then((rows) => Object.fromEntries(rows.map((r) => [r.external_id, r.pending_resolution])));

describe('upsertProfiles', () => {
  it('counts inserted, unchanged and updated records across a first send, an identical resend and a changed resend', async () => {
    const tenant = await newTenant();
    const records = [rec(1), rec(2), rec(3)];
    expect(await upsertProfiles(db.$client, tenant, 'erp', records)).toEqual({ received: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect(await pendingOf(tenant)).toEqual({ 'c-1': true, 'c-2': true, 'c-3': true });
    await resolvePendingIdentities(db, tenant, 100);
    expect(await pendingOf(tenant)).toEqual({ 'c-1': false, 'c-2': false, 'c-3': false });

    // Identical resend (JSON key order does not matter): nothing changes, nothing is re-queued.
    const reordered = records.map((r) => ({ ...r, attributes: { tier: 'silver' }, address: { province: 'Santa Fe', city: 'Rosario' } }));
    expect(await upsertProfiles(db.$client, tenant, 'erp', reordered)).toEqual({ received: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(await pendingOf(tenant)).toEqual({ 'c-1': false, 'c-2': false, 'c-3': false });

    // One record changed, one new.
    const changed = [rec(1), rec(2, { phone: '+54 11 5555-0002' }), rec(3), rec(4)];
    expect(await upsertProfiles(db.$client, tenant, 'erp', changed)).toEqual({ received: 4, inserted: 1, updated: 1, unchanged: 2 });
    expect(await pendingOf(tenant)).toEqual({ 'c-1': false, 'c-2': true, 'c-3': false, 'c-4': true });
    const [row] = await q(`select phone, email from source_profiles where tenant_id = $1 and external_id = 'c-2'`, [tenant]);
    expect(row).toEqual({ phone: '+54 11 5555-0002', email: 'person2@example.com' });
  });

  it('without merge, a resent record replaces what the source said before (omitted fields become null)', async () => {
    const tenant = await newTenant();
    await upsertProfiles(db.$client, tenant, 'erp', [rec(1, { dni: '30123456' })]);
    const r = await upsertProfiles(db.$client, tenant, 'erp', [{ externalId: 'c-1', email: 'person1@example.com' }]);
    expect(r.updated).toBe(1);
    const [row] = await q(`select email, dni, first_name, address, attributes from source_profiles where tenant_id = $1`, [tenant]);
    expect(row).toEqual({ email: 'person1@example.com', dni: null, first_name: null, address: null, attributes: {} });
  });

  it('keys profiles on (tenant, source, externalId)', async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await upsertProfiles(db.$client, a, 'erp', [rec(1)]);
    expect((await upsertProfiles(db.$client, a, 'vtex', [rec(1)])).inserted).toBe(1);
    expect((await upsertProfiles(db.$client, b, 'erp', [rec(1)])).inserted).toBe(1);
    const rows = await q(`select tenant_id, source from source_profiles where external_id = 'c-1' and tenant_id = any($1::uuid[])`, [[a, b]]);
    expect(rows).toHaveLength(3);
  });
});

describe('resolvePendingIdentities', () => {
  it('creates one customer per new profile with its golden record and field sources, and clears pending', async () => {
    const tenant = await newTenant();
    await upsertProfiles(db.$client, tenant, 'erp', [
      rec(1, { dni: '30111111', cuit: '20-30111111-1', phone: '+54 341 555-0001', birthDate: '1990-05-17' }),
      rec(2, { cuit: '27-22222222-2' }),
    ]);
    const r = await resolvePendingIdentities(db, tenant, 100);
    expect(r).toMatchObject({ profiles: 2, customersCreated: 2 });
    expect(r.createdCustomerIds).toHaveLength(2);

    const profiles = await q<{ external_id: string; customer_id: string; pending_resolution: boolean; at: string }>(
      `select external_id, customer_id, pending_resolution,
              to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
       from source_profiles where tenant_id = $1 order by external_id`,
      [tenant],
    );
    expect(profiles.every((p) => !p.pending_resolution)).toBe(true);
    expect(new Set(profiles.map((p) => p.customer_id))).toEqual(new Set(r.createdCustomerIds));

    const customers = await q(
      `select id, email, phone, document_number, first_name, last_name, birth_date::text as birth_date, address, attributes, field_sources
       from customers where tenant_id = $1`,
      [tenant],
    );
    expect(customers).toHaveLength(2);
    const c1 = customers.find((c) => c.id === profiles[0]!.customer_id)!;
    expect(c1).toMatchObject({
      email: 'person1@example.com',
      phone: '+54 341 555-0001',
      document_number: '30111111',
      first_name: 'First1',
      last_name: 'Last1',
      birth_date: '1990-05-17',
      address: { city: 'Rosario', province: 'Santa Fe' },
      attributes: { tier: 'silver' },
    });
    const src = { source: 'erp', externalId: 'c-1', at: profiles[0]!.at };
    expect(c1.field_sources).toEqual({ email: src, phone: src, documentNumber: src, firstName: src, lastName: src, birthDate: src, address: src });
    const c2 = customers.find((c) => c.id === profiles[1]!.customer_id)!;
    // 27-22222222-2 fails the CUIT check digit: kept on the profile, never in the golden record.
    expect(c2).toMatchObject({ document_number: null, phone: null, birth_date: null });

    // nothing left to do
    expect(await resolvePendingIdentities(db, tenant, 100)).toMatchObject({ profiles: 0, customersCreated: 0 });
  });

  it('a later change to a profile updates the same customer instead of creating one', async () => {
    const tenant = await newTenant();
    await upsertProfiles(db.$client, tenant, 'erp', [rec(1)]);
    const first = await resolvePendingIdentities(db, tenant, 100);
    const [customerId] = first.createdCustomerIds;

    await upsertProfiles(db.$client, tenant, 'erp', [rec(1, { email: 'new@example.com', lastName: undefined })]);
    const second = await resolvePendingIdentities(db, tenant, 100);
    expect(second).toMatchObject({ profiles: 1, customersCreated: 0, createdCustomerIds: [] });

    const customers = await q(`select id, email, last_name, field_sources from customers where tenant_id = $1`, [tenant]);
    expect(customers).toEqual([expect.objectContaining({ id: customerId, email: 'new@example.com', last_name: null })]);
    expect(customers[0]!.field_sources).not.toHaveProperty('lastName');
  });

  it('never creates two customers for one profile when two runs race on the same tenant', async () => {
    const tenant = await newTenant();
    const n = 60;
    await upsertProfiles(db.$client, tenant, 'erp', Array.from({ length: n }, (_, i) => rec(i)));
    const runs = await Promise.all([
      resolvePendingIdentities(db, tenant, 25),
      resolvePendingIdentities(db, tenant, 25),
      resolvePendingIdentities(db, tenant, 25),
    ]);
    let created = runs.reduce((s, r) => s + r.customersCreated, 0);
    // whatever the races left over
    for (let r = await resolvePendingIdentities(db, tenant, 100); r.profiles > 0; r = await resolvePendingIdentities(db, tenant, 100)) created += r.customersCreated;
    expect(created).toBe(n);

    const [stats] = await q<{ customers: number; linked: number; distinct_customers: number; orphans: number; pending: number }>(
      `select (select count(*)::int from customers where tenant_id = $1) as customers,
              (select count(*)::int from source_profiles where tenant_id = $1 and customer_id is not null) as linked,
              (select count(distinct customer_id)::int from source_profiles where tenant_id = $1) as distinct_customers,
              (select count(*)::int from customers c where c.tenant_id = $1
                 and not exists (select 1 from source_profiles sp where sp.customer_id = c.id)) as orphans,
              (select count(*)::int from source_profiles where tenant_id = $1 and pending_resolution) as pending`,
      [tenant],
    );
    expect(stats).toEqual({ customers: n, linked: n, distinct_customers: n, orphans: 0, pending: 0 });
  });

  it('touches only its own tenant', async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await upsertProfiles(db.$client, a, 'erp', [rec(1)]);
    await upsertProfiles(db.$client, b, 'erp', [rec(1)]);
    await resolvePendingIdentities(db, a, 100);
    expect(await pendingOf(b)).toEqual({ 'c-1': true });
    const [{ n }] = (await q<{ n: number }>('select count(*)::int as n from customers where tenant_id = $1', [b])) as [{ n: number }];
    expect(n).toBe(0);
  });
});

describe('foldIdentifyEvents', () => {
  it('merges the traits of identifies for one userId (later wins) into an "events" profile and marks them processed', async () => {
    const tenant = await newTenant();
    await insertEvents(db.$client, tenant, [identify('i-1', { userId: 'u-1' }, { email: 'First@Example.com', firstName: 'Ana', plan: 'free', city: 'X' })], RECEIVED);
    await insertEvents(
      db.$client,
      tenant,
      [identify('i-2', { userId: 'u-1' }, { firstName: 'Anabel', phone: '+54 11 5555-0000', plan: 'pro' }), track('t-1', 'u-1')],
      RECEIVED,
    );
    expect(await tenantsWithPendingWork(db)).toContain(tenant);

    expect(await foldIdentifyEvents(db, tenant, 100)).toBe(2);
    const profiles = await q(
      `select source, external_id, email, first_name, phone, attributes, pending_resolution from source_profiles where tenant_id = $1`,
      [tenant],
    );
    expect(profiles).toEqual([
      {
        source: 'events',
        external_id: 'u-1',
        email: 'first@example.com',
        first_name: 'Anabel',
        phone: '+54 11 5555-0000',
        attributes: { plan: 'pro', city: 'X' },
        pending_resolution: true,
      },
    ]);
    const events = await q<{ message_id: string; processed: boolean }>(`select message_id, processed from events where tenant_id = $1 order by message_id`, [tenant]);
    // track events are not identity data and stay as they are
    expect(events).toEqual([
      { message_id: 'i-1', processed: true },
      { message_id: 'i-2', processed: true },
      { message_id: 't-1', processed: false },
    ]);
    expect(await foldIdentifyEvents(db, tenant, 100)).toBe(0);

    // once resolved, the tenant has nothing pending
    await resolvePendingIdentities(db, tenant, 100);
    expect(await tenantsWithPendingWork(db)).not.toContain(tenant);
  });

  it('merges a later identify into the existing profile, keeping fields it does not mention', async () => {
    const tenant = await newTenant();
    await insertEvents(db.$client, tenant, [identify('i-1', { userId: 'u-9' }, { email: 'keep@example.com', dni: '30999999', plan: 'free' })], RECEIVED);
    await foldIdentifyEvents(db, tenant, 100);
    await insertEvents(db.$client, tenant, [identify('i-2', { userId: 'u-9' }, { lastName: 'Gómez', plan: 'pro', source: 'ads' })], RECEIVED);
    expect(await foldIdentifyEvents(db, tenant, 100)).toBe(1);
    const [row] = await q(`select email, dni, last_name, attributes from source_profiles where tenant_id = $1 and source = 'events'`, [tenant]);
    expect(row).toEqual({ email: 'keep@example.com', dni: '30999999', last_name: 'Gómez', attributes: { plan: 'pro', source: 'ads' } });
  });

  it('uses anonymous:<id> as the external id of anonymous-only identifies', async () => {
    const tenant = await newTenant();
    await insertEvents(
      db.$client,
      tenant,
      [identify('i-1', { anonymousId: 'anon-7' }, { email: 'anon@example.com' }), identify('i-2', { userId: 'u-3', anonymousId: 'anon-8' }, { email: 'u3@example.com' })],
      RECEIVED,
    );
    expect(await foldIdentifyEvents(db, tenant, 100)).toBe(2);
    const rows = await q(`select external_id, email from source_profiles where tenant_id = $1 and source = 'events' order by external_id`, [tenant]);
    expect(rows).toEqual([
      { external_id: 'anonymous:anon-7', email: 'anon@example.com' },
      { external_id: 'u-3', email: 'u3@example.com' },
    ]);
  });

  it('keeps invalid traits as attributes instead of failing the fold', async () => {
    const tenant = await newTenant();
    await insertEvents(db.$client, tenant, [identify('i-1', { userId: 'u-1' }, { email: 'not an email', birthday: 'someday', firstName: 'Ana' })], RECEIVED);
    expect(await foldIdentifyEvents(db, tenant, 100)).toBe(1);
    const [row] = await q(`select email, birth_date, first_name, attributes from source_profiles where tenant_id = $1`, [tenant]);
    expect(row).toEqual({ email: null, birth_date: null, first_name: 'Ana', attributes: { invalidTraits: { email: 'not an email', birthDate: 'someday' } } });
  });

  it('folds at most `limit` events per call, oldest first', async () => {
    const tenant = await newTenant();
    for (let i = 0; i < 3; i++) await insertEvents(db.$client, tenant, [identify(`i-${i}`, { userId: 'u-1' }, { firstName: `Name${i}` })], RECEIVED);
    expect(await foldIdentifyEvents(db, tenant, 2)).toBe(2);
    const [afterTwo] = await q(`select first_name from source_profiles where tenant_id = $1`, [tenant]);
    expect(afterTwo).toEqual({ first_name: 'Name1' });
    expect(await foldIdentifyEvents(db, tenant, 2)).toBe(1);
    const [afterAll] = await q(`select first_name from source_profiles where tenant_id = $1`, [tenant]);
    expect(afterAll).toEqual({ first_name: 'Name2' });
  });
});
