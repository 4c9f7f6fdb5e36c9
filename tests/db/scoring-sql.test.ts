// The SQL halves of scoring against their pure reference implementations (core/scoring) on random data.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coPurchasePairs } from '#core/scoring/recommendations.ts';
import { rfmScores } from '#core/scoring/rfm.ts';
import { summarize } from '#core/scoring/summaries.ts';
import { buildScoringWork, rebuildNeighbours } from '#db/queries/scoring.ts';
import { createTestDatabase } from '../support/db.ts';
import { prng } from '../support/prng.ts';
import { seedScoringData, type TestOrder } from '../support/scoring-data.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

const AS_OF = '2024-06-30T23:00:00Z';
const TZ = 'America/Argentina/Buenos_Aires';

/** Random history: few distinct values so ties are everywhere (the tie-breaker must decide them). */
function randomOrders(seed: number, customers: number, n: number): TestOrder[] {
  const rnd = prng(seed);
  const statuses = ['invoiced', 'invoiced', 'invoiced', 'payment-approved', 'canceled', 'cancelled', 'refunded', 'CANCELED'];
  return Array.from({ length: n }, () => ({
    customer: Math.floor(rnd() * customers),
    // whole days at 12:00 UTC (09:00 in Buenos Aires): the local purchase day is unambiguous
    at: new Date(Date.parse('2023-01-01T12:00:00Z') + Math.floor(rnd() * 540) * 86_400_000).toISOString(),
    totalMinor: (1 + Math.floor(rnd() * 6)) * 1000,
    status: statuses[Math.floor(rnd() * statuses.length)],
    items: Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `cat${Math.floor(rnd() * 3)}:p${Math.floor(rnd() * 12)}`),
  }));
}

const valid = (s: string | undefined) => !['canceled', 'cancelled', 'refunded'].includes((s ?? 'invoiced').toLowerCase());
const localDay = (iso: string) => new Date(Date.parse(iso) - 3 * 3_600_000).toISOString().slice(0, 10);

describe('scoring SQL', () => {
  it('RFM quintiles in SQL equal the reference rfmScores (NTILE, ties broken by value then customer id); invalid orders never count', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const orders = randomOrders(7, 230, 1500);
    const { customerIds } = await seedScoringData(testDb.db, tenant.id, 230, orders);
    const runId = randomUUID();
    const { customers } = await buildScoringWork(testDb.db.$client, { tenantId: tenant.id, runId, asOf: AS_OF, timeZone: TZ, rfmWindowDays: 365, reactivationGapDays: 180 });
    const windowStart = Date.parse(AS_OF) - 365 * 86_400_000;
    const per = new Map<string, { last: string; f: number; m: number }>();
    for (const o of orders) {
      if (!valid(o.status)) continue;
      const id = customerIds[o.customer]!;
      const e = per.get(id) ?? { last: '0000-00-00', f: 0, m: 0 };
      if (localDay(o.at) > e.last) e.last = localDay(o.at);
      if (Date.parse(o.at) > windowStart) {
        e.f++;
        e.m += o.totalMinor;
      }
      per.set(id, e);
    }
    expect(customers).toBe(per.size);
    const asOfDay = localDay(AS_OF);
    const expected = rfmScores(
      [...per].map(([customerId, e]) => ({ customerId, recencyDays: (Date.parse(asOfDay) - Date.parse(e.last)) / 86_400_000, frequency: e.f, monetary: e.m })),
    );
    const got = await testDb.db.$client.query<{ id: string; r: number; f: number; m: number }>('select customer_id as id, r, f, m from scoring_work where run_id = $1', [runId]);
    expect(got.rows.length).toBe(expected.size);
    for (const row of got.rows) {
      const e = expected.get(row.id)!;
      expect({ id: row.id, r: row.r, f: row.f, m: row.m }).toEqual({ id: row.id, r: e.r, f: e.f, m: e.m });
    }
  });

  it('BG/NBD summaries (x, t_x, T in days, mean repeat-day spend) equal the reference summarize over local purchase days', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const orders = randomOrders(11, 120, 700);
    const { customerIds } = await seedScoringData(testDb.db, tenant.id, 120, orders);
    const runId = randomUUID();
    await buildScoringWork(testDb.db.$client, { tenantId: tenant.id, runId, asOf: AS_OF, timeZone: TZ, rfmWindowDays: 365, reactivationGapDays: 180 });
    const expected = summarize(
      orders.filter((o) => valid(o.status)).map((o) => ({ customerId: customerIds[o.customer]!, date: localDay(o.at), amount: o.totalMinor })),
      { observationEnd: localDay(AS_OF), unitDays: 1 },
    );
    const got = await testDb.db.$client.query<{ id: string; x: number; tx: number; t: number; mbar: number }>(
      'select customer_id as id, x, tx_days as tx, t_days as t, mbar_minor as mbar from scoring_work where run_id = $1',
      [runId],
    );
    expect(got.rows.length).toBe(expected.size);
    for (const row of got.rows) {
      const e = expected.get(row.id)!;
      expect([row.x, row.tx, row.t]).toEqual([e.x, e.tx, e.T]);
      expect(row.mbar).toBeCloseTo(e.mbar, 6);
    }
  });

  it('co-purchase neighbours in SQL carry the reference pair statistics', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const orders = randomOrders(5, 60, 400).map((o) => ({ ...o, at: '2024-05-01T12:00:00Z' }));
    const { productIds } = await seedScoringData(testDb.db, tenant.id, 60, orders);
    const runId = randomUUID();
    const r = await rebuildNeighbours(testDb.db.$client, { tenantId: tenant.id, runId, asOf: AS_OF, minCount: 2, perProduct: 1000 });
    const baskets = orders.filter((o) => valid(o.status)).map((o) => [...new Set(o.items ?? [])]);
    expect(r.baskets).toBe(baskets.length);
    const keyOf = new Map([...productIds].map(([k, id]) => [id, k]));
    const pairs = coPurchasePairs(baskets, { minCount: 2 });
    const got = await testDb.db.$client.query<{ a: string; b: string; count: number; support: number; confidence: number; lift: number; cosine: number }>(
      'select product_id as a, neighbour_id as b, count, support, confidence, lift, cosine from product_neighbours where tenant_id = $1',
      [tenant.id],
    );
    // SQL stores both directions of each unordered pair.
    expect(got.rows.length).toBe(pairs.length * 2);
    const byKey = new Map(got.rows.map((x) => [`${keyOf.get(x.a)}|${keyOf.get(x.b)}`, x]));
    for (const p of pairs) {
      const ab = byKey.get(`${p.a}|${p.b}`)!;
      const ba = byKey.get(`${p.b}|${p.a}`)!;
      expect(ab.count).toBe(p.count);
      expect(ab.support).toBeCloseTo(p.support, 9);
      expect(ab.confidence).toBeCloseTo(p.confidenceAB, 9);
      expect(ba.confidence).toBeCloseTo(p.confidenceBA, 9);
      expect(ab.lift).toBeCloseTo(p.lift, 9);
      expect(ab.cosine).toBeCloseTo(p.cosine, 9);
    }
  });
});
