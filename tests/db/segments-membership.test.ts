// Membership writes against real PostgreSQL: full recompute (entries, exits, events, member_count, re-entry as a new
// episode), dependency order, and the activation feed's incremental refresh agreeing with a full recompute.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentRule } from '#core/segments/rule.ts';
import type { Db } from '#db/client.ts';
import { archiveSegment, createSegment, dependencyOrder, getSegment, listMembers, previewSegment, recomputeSegments, refreshChangedCustomers, updateSegment } from '#db/queries/segments.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { createTestDatabase } from '../support/db.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
const q = (sql: string, params: unknown[] = []) => db.$client.query(sql, params).then((r) => r.rows);

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.drop();
});

const newTenant = async () => (await createTenant(db, { slug: `segm-${randomBytes(4).toString('hex')}` })).id;

async function customer(tenantId: string, o: { email?: string; tier?: string; userId?: string } = {}): Promise<string> {
  const [row] = await q(`insert into customers (tenant_id, email, attributes) values ($1, $2, $3::jsonb) returning id`, [tenantId, o.email ?? null, JSON.stringify(o.tier ? { tier: o.tier } : {})]);
  const id = row!.id as string;
  if (o.userId) await q(`insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution) values ($1, 'events', $2, $3, false)`, [tenantId, o.userId, id]);
  return id;
}
async function order(tenantId: string, customerId: string, status = 'invoiced', totalMinor = 1000): Promise<string> {
  const [row] = await q(
    `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at) values ($1, 'erp', $2, $3, $4, 'ARS', $5, now()) returning id`,
    [tenantId, randomBytes(6).toString('hex'), customerId, status, totalMinor],
  );
  return row!.id as string;
}
async function track(tenantId: string, userId: string, event: string): Promise<void> {
  await q(`insert into events (tenant_id, message_id, type, event, user_id, timestamp) values ($1, $2, 'track', $3, $4, now())`, [tenantId, randomBytes(8).toString('hex'), event, userId]);
}
const members = async (segmentId: string) => (await q('select customer_id from segment_memberships where segment_id = $1 and exited_at is null order by customer_id', [segmentId])).map((r) => r.customer_id as string);
const buyers: SegmentRule = { kind: 'orders', metric: 'count', predicate: { type: 'number', op: 'gte', value: 1 } };

describe('full recompute', () => {
  it('opens and closes episodes, logs each change, counts members, and re-entry opens a new episode', async () => {
    const tenantId = await newTenant();
    const ana = await customer(tenantId, { email: 'ana@x.test' });
    const bob = await customer(tenantId, { email: 'bob@x.test' });
    const anaOrder = await order(tenantId, ana);
    const seg = await createSegment(db.$client, tenantId, { name: 'Buyers', definition: buyers });

    const first = await recomputeSegments(db, tenantId, new Date());
    expect(first).toMatchObject({ entered: 1, exited: 0 });
    expect(await members(seg.id)).toEqual([ana]);
    const s1 = (await getSegment(db.$client, tenantId, seg.id))!;
    expect(s1.memberCount).toBe(1);
    expect(s1.lastComputedAt).not.toBeNull();

    // Idempotent: nothing changed, nothing written.
    expect(await recomputeSegments(db, tenantId, new Date())).toMatchObject({ entered: 0, exited: 0 });

    await q(`update orders set status = 'cancelled' where id = $1`, [anaOrder]);
    await order(tenantId, bob);
    expect(await recomputeSegments(db, tenantId, new Date())).toMatchObject({ entered: 1, exited: 1 });
    expect(await members(seg.id)).toEqual([bob]);
    await order(tenantId, ana);
    await recomputeSegments(db, tenantId, new Date());
    expect((await members(seg.id)).sort()).toEqual([ana, bob].sort());
    expect((await getSegment(db.$client, tenantId, seg.id))!.memberCount).toBe(2);

    const episodes = await q('select entered_at, exited_at from segment_memberships where segment_id = $1 and customer_id = $2 order by id', [seg.id, ana]);
    expect(episodes).toHaveLength(2);
    expect(episodes[0]!.exited_at).not.toBeNull();
    expect(episodes[1]!.exited_at).toBeNull();
    const log = await q('select customer_id, change from segment_membership_events where segment_id = $1 order by seq', [seg.id]);
    expect(log).toEqual([
      { customer_id: ana, change: 'entered' },
      ...[
        { customer_id: ana, change: 'exited' },
        { customer_id: bob, change: 'entered' },
      ].sort((a, b) => (a.change < b.change ? -1 : 1)),
      { customer_id: ana, change: 'entered' },
    ]);

    const page = await listMembers(db.$client, tenantId, seg.id, { limit: 1 });
    expect(page.data).toHaveLength(1);
    const rest = await listMembers(db.$client, tenantId, seg.id, { limit: 1, after: page.next! });
    expect([page.data[0]!.id, rest.data[0]!.id].sort()).toEqual([ana, bob].sort());
    expect(rest.next).toBeNull();
  });

  it('computes referenced segments first, whatever their ids', async () => {
    const tenantId = await newTenant();
    const gold = await customer(tenantId, { tier: 'gold' });
    const goldBuyer = await customer(tenantId, { tier: 'gold' });
    await order(tenantId, goldBuyer);
    const goldSeg = await createSegment(db.$client, tenantId, { name: 'Gold', definition: { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } } });
    const goldNoOrders = await createSegment(db.$client, tenantId, {
      name: 'Gold without orders',
      definition: { kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: goldSeg.id }, { kind: 'group', op: 'and', negate: true, rules: [buyers] }] },
    });
    await recomputeSegments(db, tenantId, new Date());
    expect(await members(goldNoOrders.id)).toEqual([gold]);

    const order1 = dependencyOrder([
      { id: 'a', definition: { kind: 'segment', segmentId: 'c' } as SegmentRule },
      { id: 'b', definition: buyers },
      { id: 'c', definition: { kind: 'segment', segmentId: 'b' } as SegmentRule },
    ]).map((s) => s.id);
    expect(order1).toEqual(['b', 'c', 'a']);
  });

  it('the hourly pass recomputes only rules that change with the clock, and what depends on them', async () => {
    const tenantId = await newTenant();
    const c = await customer(tenantId, { tier: 'gold' });
    await order(tenantId, c);
    const recent = await createSegment(db.$client, tenantId, { name: 'Recent buyers', definition: { kind: 'orders', metric: 'count', window: { kind: 'last_days', days: 30 }, predicate: { type: 'number', op: 'gte', value: 1 } } });
    const dependent = await createSegment(db.$client, tenantId, { name: 'Recent gold', definition: { kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: recent.id }, { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } }] } });
    const timeless = await createSegment(db.$client, tenantId, { name: 'Buyers', definition: buyers });
    const r = await recomputeSegments(db, tenantId, new Date(), { timeDependentOnly: true });
    expect(r.segments.map((s) => s.id).sort()).toEqual([recent.id, dependent.id].sort());
    expect(await members(recent.id)).toEqual([c]);
    expect(await members(dependent.id)).toEqual([c]);
    expect(await members(timeless.id)).toEqual([]);
    // 40 days later the order is out of the window: the hourly pass closes both episodes.
    const later = new Date(Date.now() + 40 * 86_400_000);
    expect(await recomputeSegments(db, tenantId, later, { timeDependentOnly: true })).toMatchObject({ exited: 2 });
  });

  it('validates rules against the tenant, keeps names unique and archives only what nothing uses', async () => {
    const tenantId = await newTenant();
    const a = await createSegment(db.$client, tenantId, { name: 'A', definition: buyers });
    await expect(createSegment(db.$client, tenantId, { name: 'A', definition: buyers })).rejects.toMatchObject({ code: 'segment_name_taken', status: 409 });
    await expect(createSegment(db.$client, tenantId, { name: 'B', definition: { kind: 'segment', segmentId: '6b0a2a43-1111-4c1c-9d9d-000000000000' } })).rejects.toMatchObject({
      code: 'invalid_request',
      details: [{ path: 'definition.segmentId', message: expect.stringContaining('unknown segment') }],
    });
    const b = await createSegment(db.$client, tenantId, { name: 'B', definition: { kind: 'segment', segmentId: a.id } });
    await expect(updateSegment(db.$client, tenantId, a.id, { definition: { kind: 'segment', segmentId: b.id } })).rejects.toMatchObject({
      details: [{ path: 'definition.segmentId', message: expect.stringContaining('cycle') }],
    });
    await expect(archiveSegment(db.$client, tenantId, a.id)).rejects.toMatchObject({ code: 'segment_in_use' });
    expect((await archiveSegment(db.$client, tenantId, b.id))!.status).toBe('archived');
    expect((await archiveSegment(db.$client, tenantId, a.id))!.status).toBe('archived');
  });

  it('previews a count and a sample without writing', async () => {
    const tenantId = await newTenant();
    for (let i = 0; i < 25; i++) await order(tenantId, await customer(tenantId, { email: `c${i}@x.test` }));
    await customer(tenantId);
    const p = await previewSegment(db.$client, tenantId, buyers, new Date());
    expect(p.count).toBe(25);
    expect(p.sample).toHaveLength(20);
    expect(p.sample[0]!.email).toMatch(/@x\.test$/);
    expect(await q('select count(*)::int n from segment_memberships where tenant_id = $1', [tenantId])).toEqual([{ n: 0 }]);
  });
});

describe('incremental refresh from the activation feed', () => {
  it('picks up a track event, an order and a consent change, and moves its cursor', async () => {
    const tenantId = await newTenant();
    const ana = await customer(tenantId, { userId: 'u-ana' });
    const bob = await customer(tenantId);
    const viewers = await createSegment(db.$client, tenantId, { name: 'Viewers', definition: { kind: 'event', event: 'Product Viewed' } });
    const buyer = await createSegment(db.$client, tenantId, { name: 'Buyers', definition: buyers });
    const emailable = await createSegment(db.$client, tenantId, { name: 'Emailable', definition: { kind: 'consent', channel: 'email' } });
    // The first call only places the cursor (memberships start from a full recompute).
    expect(await refreshChangedCustomers(db, tenantId, 100, new Date())).toMatchObject({ entered: 0, exited: 0 });

    await track(tenantId, 'u-ana', 'Product Viewed');
    await track(tenantId, 'u-nobody', 'Product Viewed');
    await order(tenantId, bob);
    await q(`insert into customer_consents (tenant_id, customer_id, channel, status, source) values ($1, $2, 'email', 'granted', 'test')`, [tenantId, ana]);
    const r = await refreshChangedCustomers(db, tenantId, 100, new Date());
    expect(r).toMatchObject({ entered: 3, exited: 0, more: false });
    expect(await members(viewers.id)).toEqual([ana]);
    expect(await members(buyer.id)).toEqual([bob]);
    expect(await members(emailable.id)).toEqual([ana]);
    const [cursor] = await q(`select position from activation_cursors where tenant_id = $1 and name = 'segments'`, [tenantId]);
    expect(cursor!.position.eventId).toBeGreaterThan(0);

    // Re-reading the overlap is harmless: no new changes, nothing written.
    expect(await refreshChangedCustomers(db, tenantId, 100, new Date())).toMatchObject({ entered: 0, exited: 0 });
    await q(`update customer_consents set status = 'revoked', updated_at = now() where customer_id = $1`, [ana]);
    expect(await refreshChangedCustomers(db, tenantId, 100, new Date())).toMatchObject({ entered: 0, exited: 1 });
    expect(await members(emailable.id)).toEqual([]);
    expect((await getSegment(db.$client, tenantId, emailable.id))!.memberCount).toBe(0);
  });

  it('pages by the limit and says when there is more', async () => {
    const tenantId = await newTenant();
    await createSegment(db.$client, tenantId, { name: 'Gold', definition: { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } } });
    await refreshChangedCustomers(db, tenantId, 100, new Date());
    for (let i = 0; i < 7; i++) await customer(tenantId, { tier: 'gold' });
    let entered = 0;
    let calls = 0;
    for (;;) {
      const r = await refreshChangedCustomers(db, tenantId, 3, new Date());
      entered += r.entered;
      calls++;
      expect(r.customersChecked).toBeLessThanOrEqual(3);
      if (!r.more) break;
    }
    expect(entered).toBe(7);
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('agrees with a full recompute on random changes', async () => {
    const tenantId = await newTenant();
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => customer(tenantId, { userId: `u${i}`, tier: i % 2 ? 'gold' : 'silver' })));
    const gold = await createSegment(db.$client, tenantId, { name: 'Gold', definition: { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } } });
    await createSegment(db.$client, tenantId, {
      name: 'Gold buyers or viewers',
      definition: { kind: 'group', op: 'and', rules: [{ kind: 'segment', segmentId: gold.id }, { kind: 'group', op: 'or', rules: [buyers, { kind: 'event', event: 'Viewed', minCount: 2 }] }] },
    });
    await createSegment(db.$client, tenantId, {
      name: 'No consent, no orders',
      definition: { kind: 'group', op: 'and', negate: true, rules: [{ kind: 'group', op: 'or', rules: [{ kind: 'consent', channel: 'email' }, buyers] }] },
    });
    await recomputeSegments(db, tenantId, new Date());
    await refreshChangedCustomers(db, tenantId, 1000, new Date());

    const change = fc.oneof(
      fc.record({ k: fc.constant('tier' as const), who: fc.nat(11), tier: fc.constantFrom('gold', 'silver') }),
      fc.record({ k: fc.constant('order' as const), who: fc.nat(11), cancelled: fc.boolean() }),
      fc.record({ k: fc.constant('event' as const), who: fc.nat(11) }),
      fc.record({ k: fc.constant('consent' as const), who: fc.nat(11), granted: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), async (changes, limit) => {
        for (const c of changes) {
          const id = people[c.who]!;
          if (c.k === 'tier') await q(`update customers set attributes = jsonb_build_object('tier', $2::text), updated_at = now() where id = $1`, [id, c.tier]);
          else if (c.k === 'order') await order(tenantId, id, c.cancelled ? 'cancelled' : 'invoiced');
          else if (c.k === 'event') await track(tenantId, `u${c.who}`, 'Viewed');
          else
            await q(
              `insert into customer_consents (tenant_id, customer_id, channel, status, source) values ($1, $2, 'email', $3, 'test')
               on conflict (customer_id, channel) do update set status = excluded.status, updated_at = now()`,
              [tenantId, id, c.granted ? 'granted' : 'revoked'],
            );
        }
        for (let i = 0; i < 100; i++) if (!(await refreshChangedCustomers(db, tenantId, limit, new Date())).more) break;
        // The incremental path left nothing for a full recompute to fix.
        const full = await recomputeSegments(db, tenantId, new Date());
        expect(full).toMatchObject({ entered: 0, exited: 0 });
      }),
      { numRuns: 15 },
    );
  });
});
