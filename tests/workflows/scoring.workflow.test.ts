// Nightly scoring end to end: real Temporal, real activities, real PostgreSQL, a small generated tenant.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoringActivities } from '#activities/scoring/scoring.activities.ts';
import { rfmScores, rfmSegment } from '#core/scoring/rfm.ts';
import { scoringProgressQuery, type NightlyScoringInput } from '#workflows/scoring/scoring.contract.ts';
import type { nightlyScoringWorkflow } from '#workflows/scoring/scoring.workflow.ts';
import { createTestDatabase } from '../support/db.ts';
import { prng } from '../support/prng.ts';
import { day, seedScoringData, simulatedBuyers, type TestOrder } from '../support/scoring-data.ts';
import { temporalClient, testWorker } from '../support/temporal.ts';
import { seedTenant } from '../support/tenants.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof testWorker>>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
beforeAll(async () => {
  testDb = await createTestDatabase();
  worker = await testWorker(testDb.db);
  temporal = await temporalClient();
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await testDb?.drop();
});

// 15:00 UTC = 12:00 in Buenos Aires: whole days before it are whole local days.
const AS_OF_1 = '2024-06-30T15:00:00.000Z';
const ago = (asOf: string, days: number) => day(asOf, -days);

/** Named customers with a known lifecycle, then 300 simulated BG/NBD buyers so the models have something to fit. */
function history(): { orders: TestOrder[]; customers: number } {
  const o: TestOrder[] = [];
  const buy = (customer: number, daysAgo: number, totalMinor = 100, status?: string) =>
    o.push({ customer, at: ago(AS_OF_1, daysAgo), totalMinor, status, items: [`shoes:s${customer % 3}`] });
  // 0: PROSPECT — no order at all
  buy(1, 10); // 1: NEW
  for (const d of [5, 40, 80, 120, 190]) buy(2, d, 5000); // 2: LOYAL (5 orders in 365 days)
  const twice = (customer: number, a: number, b: number) => [a, b].forEach((d) => buy(customer, d));
  twice(3, 60, 30); // 3: ACTIVE, small spender
  twice(4, 200, 120); // 4: AT_RISK
  twice(5, 300, 250); // 5: DORMANT
  twice(6, 500, 400); // 6: CHURNED
  twice(7, 500, 20); // 7: REACTIVATED (20 days ago, after 480 days without buying)
  buy(8, 15, 9999, 'canceled'); // 8: PROSPECT — its only order was cancelled
  o.push(...simulatedBuyers(prng(42), 9, 300, AS_OF_1));
  return { orders: o, customers: 309 };
}

async function run(tenantId: string, asOf: string) {
  const workflowId = `scoring-test:${randomUUID()}`;
  const handle = await temporal.client.workflow.start<typeof nightlyScoringWorkflow>('nightlyScoringWorkflow', {
    workflowId,
    taskQueue: worker.taskQueue,
    args: [{ tenantId, asOf, trigger: 'manual' } satisfies NightlyScoringInput],
  });
  const result = await handle.result();
  expect(await handle.query(scoringProgressQuery)).toEqual(result);
  return result;
}

const scores = async (tenantId: string) =>
  new Map(
    (
      await testDb.db.$client.query<{ id: string; state: string; r: number; f: number; m: number; segment: string; pAlive: number | null; clv: number | null; episode: boolean; recs: unknown[]; nba: { action: string } | null; propensity: Record<string, number> }>(
        `select customer_id as id, lifecycle_state as state, r, f, m, rfm_segment as segment, p_alive as "pAlive", clv1y_minor as clv, churn_episode_open as episode,
           recommendations as recs, next_best_action as nba, propensity from customer_scores where tenant_id = $1`,
        [tenantId],
      )
    ).rows.map((r) => [r.id, r]),
  );

const events = async (tenantId: string) =>
  (
    await testDb.db.$client.query<{ customerId: string; type: string; subject: string; fromState: string | null; toState: string | null; runId: string }>(
      `select customer_id as "customerId", type, subject, from_state as "fromState", to_state as "toState", run_id as "runId" from score_events where tenant_id = $1 order by id`,
      [tenantId],
    )
  ).rows;

describe('nightlyScoringWorkflow', () => {
  it('scores a tenant end to end: RFM cells, lifecycle states, models, events once per episode across runs', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const h = history();
    const { customerIds: ids } = await seedScoringData(testDb.db, tenant.id, h.customers, h.orders);

    // Run 1: the baseline.
    const r1 = await run(tenant.id, AS_OF_1);
    expect(r1).toMatchObject({ step: 'done', customers: 307, customersScored: 307 });
    expect(r1.stepsDone).toEqual(['summaries', 'models', 'neighbours', 'propensity', 'customers', 'prospects', 'finish', 'write_back']);
    const s1 = await scores(tenant.id);
    expect(s1.size).toBe(309);
    expect(Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => [i, s1.get(ids[i]!)!.state]))).toEqual({
      0: 'PROSPECT',
      1: 'NEW',
      2: 'LOYAL',
      3: 'ACTIVE',
      4: 'AT_RISK',
      5: 'DORMANT',
      6: 'CHURNED',
      7: 'REACTIVATED',
      8: 'PROSPECT',
    });

    // RFM: the reference implementation over the same valid orders (local purchase days, 365-day window).
    const localDay = (iso: string) => new Date(Date.parse(iso) - 3 * 3_600_000).toISOString().slice(0, 10);
    const per = new Map<string, { last: string; f: number; m: number }>();
    for (const o of h.orders) {
      if (o.status === 'canceled') continue;
      const e = per.get(ids[o.customer]!) ?? { last: '', f: 0, m: 0 };
      e.last = localDay(o.at) > e.last ? localDay(o.at) : e.last;
      if (Date.parse(o.at) > Date.parse(AS_OF_1) - 365 * 86_400_000) {
        e.f++;
        e.m += o.totalMinor;
      }
      per.set(ids[o.customer]!, e);
    }
    const ref = rfmScores([...per].map(([customerId, e]) => ({ customerId, recencyDays: (Date.parse(localDay(AS_OF_1)) - Date.parse(e.last)) / 86_400_000, frequency: e.f, monetary: e.m })));
    for (const [id, e] of ref) expect({ id, ...pick(s1.get(id)!) }).toEqual({ id, r: e.r, f: e.f, m: e.m, segment: e.segment });
    expect(s1.get(ids[0]!)!.segment).toBeNull();
    // The ACTIVE customer is not ACTIVE by accident of a VIP segment (that would make it LOYAL).
    expect(['champions', 'loyal_customers']).not.toContain(rfmSegment(s1.get(ids[3]!)!.r, s1.get(ids[3]!)!.f, s1.get(ids[3]!)!.m));

    // Models fitted, predictions, recommendations and an action for everyone with orders.
    const runRow = (await testDb.db.$client.query('select status, parameters, diagnostics, steps from scoring_runs where tenant_id = $1', [tenant.id])).rows[0];
    expect(runRow.status).toBe('succeeded');
    expect(runRow.parameters.modelSource).toBe('fit');
    expect(Object.keys(runRow.parameters.bgnbd).sort()).toEqual(['a', 'alpha', 'b', 'r']);
    expect(runRow.diagnostics.bgnbdFit.converged).toBe(true);
    expect(runRow.steps.map((x: { step: string }) => x.step)).toEqual(['summaries', 'models', 'neighbours', 'propensity', 'customers', 'prospects']);
    for (const i of [1, 2, 3, 4, 5, 6, 7]) {
      const c = s1.get(ids[i]!)!;
      expect(c.pAlive, `customer ${i}`).toBeGreaterThan(0);
      expect(c.pAlive, `customer ${i}`).toBeLessThanOrEqual(1);
      expect(c.clv, `customer ${i}`).toBeGreaterThanOrEqual(0);
      expect(c.nba?.action, `customer ${i}`).toEqual(expect.any(String));
      expect(c.recs.length, `customer ${i}`).toBeGreaterThan(0);
    }
    // The baseline run emits nothing: there is no "before" to change from.
    expect(await events(tenant.id)).toEqual([]);

    // Run 2, 70 days later: the ACTIVE customer (last order 100 days ago) is AT_RISK → lifecycle event + churn alert;
    // AT_RISK (190 days) → DORMANT.
    const asOf2 = day(AS_OF_1, 70);
    const r2 = await run(tenant.id, asOf2);
    const s2 = await scores(tenant.id);
    expect(s2.get(ids[3]!)!.state).toBe('AT_RISK');
    expect(s2.get(ids[4]!)!.state).toBe('DORMANT');
    expect(s2.get(ids[3]!)!.episode).toBe(true);
    const e2 = (await events(tenant.id)).filter((e) => e.runId === r2.runId);
    expect(e2).toContainEqual(expect.objectContaining({ customerId: ids[3], type: 'lifecycle_changed', fromState: 'ACTIVE', toState: 'AT_RISK' }));
    expect(e2).toContainEqual(expect.objectContaining({ customerId: ids[4], type: 'lifecycle_changed', fromState: 'AT_RISK', toState: 'DORMANT' }));
    expect(e2).toContainEqual(expect.objectContaining({ customerId: ids[3], type: 'churn_risk_alert' }));
    // Segment events come in exit/enter pairs.
    for (const e of e2.filter((x) => x.type === 'segment_exited')) expect(e2).toContainEqual(expect.objectContaining({ customerId: e.customerId, type: 'segment_entered', subject: e.toState }));

    // Run 3, a day later: still AT_RISK — the episode is open, so no second alert.
    await run(tenant.id, day(asOf2, 1));
    const all = await events(tenant.id);
    expect(all.filter((e) => e.customerId === ids[3] && e.type === 'churn_risk_alert')).toHaveLength(1);
    expect(all.filter((e) => e.customerId === ids[3] && e.type === 'lifecycle_changed')).toHaveLength(1);

    // History: one row per run in which something shown changed; the AT_RISK customer moved every time.
    const hist = await testDb.db.$client.query('select run_id from customer_score_history where customer_id = $1 order by as_of', [ids[3]]);
    expect(hist.rowCount).toBeGreaterThanOrEqual(2);
  });

  it('falls back to the last good model parameters when the fit cannot be made, and says so', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const h = history();
    const { customerIds: ids } = await seedScoringData(testDb.db, tenant.id, h.customers, h.orders);
    const good = await run(tenant.id, AS_OF_1);
    const goodParams = (await testDb.db.$client.query('select parameters from scoring_runs where id = $1', [good.runId])).rows[0].parameters;
    // Almost every order cancelled: too few customers left to fit anything.
    await testDb.db.$client.query(`update orders set status = 'cancelled' where tenant_id = $1 and customer_id <> all($2::uuid[])`, [tenant.id, ids.slice(0, 8)]);
    const bad = await run(tenant.id, day(AS_OF_1, 1));
    const row = (await testDb.db.$client.query('select status, parameters, diagnostics from scoring_runs where id = $1', [bad.runId])).rows[0];
    expect(row.status).toBe('succeeded');
    expect(row.parameters.modelSource).toBe('fallback');
    expect(row.parameters.bgnbd).toEqual(goodParams.bgnbd);
    expect(row.parameters.gammaGamma).toEqual(goodParams.gammaGamma);
    expect(row.diagnostics.fallback).toMatchObject({ fromRunId: good.runId, reason: expect.stringMatching(/customers/) });
    // Scores still come out of the fallen-back model.
    const s = await scores(tenant.id);
    expect(s.get(ids[2]!)!.pAlive).toBeGreaterThan(0);
  });
});

describe('lifecycle on every order', () => {
  it('moves a customer who just ordered at once (DORMANT → REACTIVATED) and records the transition', async () => {
    const { tenant } = await seedTenant(testDb.db);
    const h = history();
    const { customerIds: ids } = await seedScoringData(testDb.db, tenant.id, h.customers, h.orders);
    await run(tenant.id, AS_OF_1);
    const since = new Date(Date.now() - 1000).toISOString();
    await testDb.db.$client.query(
      `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at) values ($1, 'test', 'now-1', $2, 'invoiced', 'ARS', 5000, now())`,
      [tenant.id, ids[5]],
    );
    const acts = createScoringActivities({ db: testDb.db });
    expect(await acts.refreshOrderLifecycle({ tenantId: tenant.id, since })).toEqual({ customers: 1, transitions: 1 });
    const s = await scores(tenant.id);
    expect(s.get(ids[5]!)!.state).toBe('REACTIVATED');
    const ev = (await events(tenant.id)).filter((e) => e.customerId === ids[5]);
    expect(ev).toEqual([expect.objectContaining({ type: 'lifecycle_changed', fromState: 'DORMANT', toState: 'REACTIVATED', runId: null })]);
    // Idempotent: the same orders again change nothing.
    expect(await acts.refreshOrderLifecycle({ tenantId: tenant.id, since })).toEqual({ customers: 1, transitions: 0 });
  });
});

function pick(x: { r: number; f: number; m: number; segment: string }) {
  return { r: x.r, f: x.f, m: x.m, segment: x.segment };
}
