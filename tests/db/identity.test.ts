// Identity resolution on a real database: deterministic rules, stable master ids, merge/unmerge with audit.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import type { Db } from '#db/client.ts';
import { getCustomer } from '#db/queries/customers.ts';
import { identityHistory, markAllPending, mergeCustomers, resolvePendingIdentities, unmergeProfiles } from '#db/queries/identity.ts';
import { upsertProfiles } from '#db/queries/ingest.ts';
import { createTenant, updateIdentitySettings } from '#db/queries/tenants.ts';
import { identitySettings } from '#core/tenants/settings.ts';
import { createTestDatabase } from '../support/db.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => t?.drop());

const q = async <T = any>(sql: string, params: unknown[] = []) => (await db.$client.query(sql, params)).rows as T[];

/** A tenant with only the deterministic rules on, so expectations are exact. */
async function tenant(opts: { probabilistic?: boolean } = {}) {
  const tn = await createTenant(db, { slug: `id-${randomBytes(4).toString('hex')}` });
  await updateIdentitySettings(db, tn.id, identitySettings.parse({ probabilistic: opts.probabilistic ?? false }));
  return tn.id;
}

async function ingest(tenantId: string, source: string, records: ProfileRecord[]) {
  await upsertProfiles(db.$client, tenantId, source, records);
  while ((await resolvePendingIdentities(db, tenantId, 500)).profiles > 0);
}

const customerOf = async (tenantId: string, source: string, externalId: string) =>
  (await q<{ c: string }>('select customer_id as c from source_profiles where tenant_id = $1 and source = $2 and external_id = $3', [tenantId, source, externalId]))[0]!.c;

const partition = async (tenantId: string) => {
  const rows = await q<{ c: string; k: string }>(`select customer_id as c, source || '/' || external_id as k from source_profiles where tenant_id = $1`, [tenantId]);
  const groups = new Map<string, string[]>();
  for (const r of rows) groups.set(r.c, [...(groups.get(r.c) ?? []), r.k].sort());
  return [...groups.values()].map((g) => g.join(',')).sort();
};

describe('deterministic rules', () => {
  it('joins profiles by email and document across sources, transitively, into the oldest customer', async () => {
    const tn = await tenant();
    await ingest(tn, 'erp', [{ externalId: 'e1', email: 'Ana.Perez@Example.com ', firstName: 'Ana' }]);
    const c1 = await customerOf(tn, 'erp', 'e1');
    await ingest(tn, 'vtex', [{ externalId: 'v1', dni: '30.123.456', lastName: 'Pérez' }]);
    const c2 = await customerOf(tn, 'vtex', 'v1');
    expect(c2).not.toBe(c1);
    // This profile shares the email with e1 and the DNI with v1: the two customers become one.
    await ingest(tn, 'meli', [{ externalId: 'm1', email: 'ana.perez@example.com', cuit: '20-30123456-3', phone: '+54 9 11 5555-0000' }]);
    expect(await customerOf(tn, 'meli', 'm1')).toBe(c1);
    expect(await customerOf(tn, 'vtex', 'v1')).toBe(c1);
    expect(await q('select id from customers where tenant_id = $1', [tn])).toEqual([{ id: c1 }]);

    // The absorbed id still resolves, to the survivor.
    const viaAlias = await getCustomer(db, tn, c2);
    expect(viaAlias?.id).toBe(c1);
    expect(viaAlias?.aliases).toEqual([c2]);
    expect(viaAlias).toMatchObject({ email: 'ana.perez@example.com', firstName: 'Ana', lastName: 'Pérez' });

    const history = await identityHistory(db, tn, c1);
    const merge = history.find((h) => h.kind === 'auto_merge')!;
    expect(merge.actor).toBe('rule:document+email');
    expect(merge.customerIds).toEqual([c1, c2]);
    expect((merge.before as { absorbed: { id: string }[] }).absorbed.map((a) => a.id)).toEqual([c2]);
    // The alias's own history is the same timeline.
    expect((await identityHistory(db, tn, c1)).map((h) => h.id)).toContain(merge.id);
  });

  it('a person CUIT matches the DNI inside it; a company CUIT does not', async () => {
    const tn = await tenant();
    await ingest(tn, 'erp', [
      { externalId: 'dni', dni: '30123456' },
      { externalId: 'cuit', cuit: '20301234563' },
      { externalId: 'company', cuit: '30-71234567-1' },
    ]);
    expect(await customerOf(tn, 'erp', 'dni')).toBe(await customerOf(tn, 'erp', 'cuit'));
    expect(await customerOf(tn, 'erp', 'company')).not.toBe(await customerOf(tn, 'erp', 'dni'));
  });

  it('never matches on marketplace relay emails or invalid documents, and reports them', async () => {
    const tn = await tenant();
    await ingest(tn, 'vtex', [
      { externalId: 'a', email: 'f5a1b2@ct.vtex.com.br', dni: '12' },
      { externalId: 'b', email: 'f5a1b2@ct.vtex.com.br', dni: '12' },
    ]);
    expect(await customerOf(tn, 'vtex', 'a')).not.toBe(await customerOf(tn, 'vtex', 'b'));
    const c = await getCustomer(db, tn, await customerOf(tn, 'vtex', 'a'));
    const issues = c!.sourceProfiles[0]!.identityIssues.map((i) => i.field).sort();
    expect(issues).toEqual(['dni', 'email']);
  });

  it('matches a mobile plus last name, not a mobile alone', async () => {
    const tn = await tenant();
    await ingest(tn, 'erp', [
      { externalId: 'p1', phone: '011 15-5555-1234', lastName: 'Gómez' },
      { externalId: 'p2', phone: '+54 9 11 5555-1234', lastName: 'GOMEZ' },
      { externalId: 'p3', phone: '+54 9 11 5555-1234', lastName: 'Fernández' },
    ]);
    expect(await customerOf(tn, 'erp', 'p1')).toBe(await customerOf(tn, 'erp', 'p2'));
    expect(await customerOf(tn, 'erp', 'p3')).not.toBe(await customerOf(tn, 'erp', 'p1'));
  });

  it('keeps tenants apart even with identical identifiers', async () => {
    const [a, b] = [await tenant(), await tenant()];
    await ingest(a, 'erp', [{ externalId: 'x', email: 'same@example.com' }]);
    await ingest(b, 'erp', [{ externalId: 'y', email: 'same@example.com' }]);
    const [ca, cb] = [await customerOf(a, 'erp', 'x'), await customerOf(b, 'erp', 'y')];
    expect(ca).not.toBe(cb);
    const mixed = await q(`select customer_id from source_profiles where customer_id is not null group by customer_id having count(distinct tenant_id) > 1`);
    expect(mixed).toEqual([]);
  });
});

describe('merge and unmerge', () => {
  async function state(tn: string) {
    return {
      customers: await q(`select * from customers where tenant_id = $1 order by id`, [tn]),
      aliases: await q(`select alias_id, customer_id from customer_aliases where tenant_id = $1 order by alias_id`, [tn]),
      profiles: await q(`select id, customer_id from source_profiles where tenant_id = $1 order by id`, [tn]),
      orders: await q(`select id, customer_id from orders where tenant_id = $1 order by id`, [tn]),
    };
  }

  it('unmerge undoes a manual merge exactly: customers, golden fields, aliases, orders', async () => {
    const tn = await tenant();
    await ingest(tn, 'erp', [{ externalId: 'a', email: 'a@example.com', firstName: 'Alba' }]);
    await ingest(tn, 'vtex', [{ externalId: 'b', email: 'b@example.com', firstName: 'Berta', dni: '27111222' }]);
    await ingest(tn, 'meli', [{ externalId: 'c', email: 'c@example.com' }]);
    const [ca, cb, cc] = [await customerOf(tn, 'erp', 'a'), await customerOf(tn, 'vtex', 'b'), await customerOf(tn, 'meli', 'c')];
    // c was merged into b earlier: b holds an alias that must survive the round trip.
    await mergeCustomers(db, tn, { customerId: cb, otherCustomerId: cc, actor: 'user:test', reason: 'same person' });
    await q(
      `insert into orders (tenant_id, source, external_id, source_customer_id, customer_id, status, currency, total_minor, placed_at)
       values ($1, 'vtex', 'o-1', 'b', $2, 'invoiced', 'ARS', 150000, now()), ($1, 'erp', 'o-2', 'a', $3, 'invoiced', 'ARS', 99000, now())`,
      [tn, cb, ca],
    );
    const before = await state(tn);

    const merged = await mergeCustomers(db, tn, { customerId: cb, otherCustomerId: ca, actor: 'user:test', reason: 'looks like the same person' });
    expect(merged.survivorId).toBe(ca); // the older one survives
    const mergedState = await state(tn);
    expect(mergedState.orders.every((o) => o.customer_id === ca)).toBe(true);
    expect(mergedState.aliases.map((a) => a.alias_id).sort()).toEqual([cb, cc].sort());

    const profilesOfB = before.profiles.filter((p) => p.customer_id === cb).map((p) => p.id);
    const un = await unmergeProfiles(db, tn, { customerId: ca, sourceProfileIds: profilesOfB, actor: 'user:test', reason: 'not the same person' });
    expect(un).toMatchObject({ customerId: ca, restoredCustomerId: cb, restored: true });
    expect(await state(tn)).toEqual(before);

    const history = await identityHistory(db, tn, ca);
    expect(history.map((h) => h.kind)).toEqual(['unmerge', 'manual_merge']);
    expect(history[1]!.undoneBy).toBe(history[0]!.id);
    // The moved profiles stay out: a full re-resolution does not merge them back.
    await ingest(tn, 'erp', [{ externalId: 'a2', email: 'a@example.com', dni: '27111222' }]);
    expect(await customerOf(tn, 'vtex', 'b')).toBe(cb);
  });

  it('unmerging profiles no merge brought in splits them into a new customer, kept apart', async () => {
    const tn = await tenant();
    await ingest(tn, 'erp', [
      { externalId: 'x1', email: 'shared@example.com', firstName: 'Xavi' },
      { externalId: 'x2', email: 'shared@example.com', firstName: 'Xime' },
    ]);
    const c = await customerOf(tn, 'erp', 'x1');
    const [p2] = await q<{ id: string }>(`select id from source_profiles where tenant_id = $1 and external_id = 'x2'`, [tn]);
    const un = await unmergeProfiles(db, tn, { customerId: c, sourceProfileIds: [p2!.id], actor: 'user:test', reason: 'shared family email' });
    expect(un.restored).toBe(false);
    expect(await customerOf(tn, 'erp', 'x2')).toBe(un.restoredCustomerId);
    await markAllPending(db, tn);
    while ((await resolvePendingIdentities(db, tn, 500)).profiles > 0);
    expect(await customerOf(tn, 'erp', 'x2')).not.toBe(await customerOf(tn, 'erp', 'x1'));
  });

  it('rejects unmerging profiles of another customer or every profile, and merging a customer with itself', async () => {
    const tn = await tenant();
    await ingest(tn, 'erp', [{ externalId: 'k1', email: 'k1@example.com' }, { externalId: 'k2', email: 'k2@example.com' }]);
    const [c1, c2] = [await customerOf(tn, 'erp', 'k1'), await customerOf(tn, 'erp', 'k2')];
    const [p1] = await q<{ id: string }>(`select id from source_profiles where tenant_id = $1 and external_id = 'k1'`, [tn]);
    await expect(unmergeProfiles(db, tn, { customerId: c2, sourceProfileIds: [p1!.id], actor: 'u', reason: 'x' })).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    await expect(unmergeProfiles(db, tn, { customerId: c1, sourceProfileIds: [p1!.id], actor: 'u', reason: 'x' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(mergeCustomers(db, tn, { customerId: c1, otherCustomerId: c1, actor: 'u', reason: 'x' })).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(mergeCustomers(db, tn, { customerId: c1, otherCustomerId: '00000000-0000-4000-8000-000000000000', actor: 'u', reason: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('properties', () => {
  const pool = ['a@x.com', 'b@x.com', 'c@x.com', null];
  const docs = ['30111222', '30111333', '27444555', null];
  const profileArb = fc.record({ email: fc.constantFrom(...pool), dni: fc.constantFrom(...docs) });

  it('the clusters do not depend on the order profiles arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(profileArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), async (people, batch) => {
        const records: ProfileRecord[] = people.map((p, i) => ({ externalId: `p${i}`, ...(p.email ? { email: p.email } : {}), ...(p.dni ? { dni: p.dni } : {}) }));
        const [t1, t2] = [await tenant(), await tenant()];
        await ingest(t1, 'src', records);
        const reversed = [...records].reverse();
        for (let i = 0; i < reversed.length; i += batch) await ingest(t2, 'src', reversed.slice(i, i + batch));
        expect(await partition(t2)).toEqual(await partition(t1));
      }),
      { numRuns: 15 },
    );
  });

  it('merge then unmerge returns the prior state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), async (na, nb) => {
        const tn = await tenant();
        await ingest(tn, 'a', Array.from({ length: na }, (_, i) => ({ externalId: `a${i}`, email: 'left@example.com', firstName: `L${i}` })));
        await ingest(tn, 'b', Array.from({ length: nb }, (_, i) => ({ externalId: `b${i}`, email: 'right@example.com', lastName: `R${i}` })));
        const [ca, cb] = [await customerOf(tn, 'a', 'a0'), await customerOf(tn, 'b', 'b0')];
        const snap = async () => ({
          customers: await q(`select * from customers where tenant_id = $1 order by id`, [tn]),
          profiles: await q(`select id, customer_id from source_profiles where tenant_id = $1 order by id`, [tn]),
          aliases: await q(`select alias_id, customer_id from customer_aliases where tenant_id = $1`, [tn]),
        });
        const before = await snap();
        const m = await mergeCustomers(db, tn, { customerId: ca, otherCustomerId: cb, actor: 'p', reason: 'prop' });
        const moved = before.profiles.filter((p) => p.customer_id === m.absorbedId).map((p) => p.id);
        await unmergeProfiles(db, tn, { customerId: m.survivorId, sourceProfileIds: moved, actor: 'p', reason: 'prop' });
        expect(await snap()).toEqual(before);
      }),
      { numRuns: 6 },
    );
  });
});
