// experimentStats / computeExperimentResults on a small hand-checked experiment: windows from each customer's own
// exposure, cut at asOf; cancelled orders out; events through the events source profile with property filters;
// the pre-period for CUPED; AOV's denominator; email opens; holdout and late exposures excluded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentInput, metricDefinition, type MetricDefinition } from '#core/experiments/definition.ts';
import { computeExperimentResults, experimentStats } from '#db/queries/experiment-results.ts';
import { createTestDatabase } from '../support/db.ts';
import { seedTenant } from '../support/tenants.ts';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let tenantId: string;
let experimentId: string;
const metricIds: Record<string, string> = {};
const T0 = new Date('2026-12-02T00:00:00.000Z');
const asOf = new Date('2026-12-03T12:00:00.000Z');
const h = (hours: number, from = T0) => new Date(from.getTime() + hours * 3_600_000);
const q = (sql: string, params: unknown[] = []) => t.db.$client.query(sql, params).then((r) => r.rows);

const defs: Record<string, MetricDefinition> = {
  purchase: metricDefinition.parse({ type: 'conversion', source: { kind: 'event', match: { event: 'purchase' } }, windowHours: 24 }),
  purchasePro: metricDefinition.parse({ type: 'conversion', source: { kind: 'event', match: { event: 'purchase', where: [{ path: 'plan', predicate: { type: 'string', op: 'equals', value: 'pro' } }] } }, windowHours: 24 }),
  ordered: metricDefinition.parse({ type: 'conversion', source: { kind: 'order' }, windowHours: 24 }),
  revenue: metricDefinition.parse({ type: 'revenue_per_customer', windowHours: 24 }),
  aov: metricDefinition.parse({ type: 'average_order_value', windowHours: 24 }),
  opens: metricDefinition.parse({ type: 'email_open_rate', windowHours: 24 }),
};

async function customer(name: string, variant: string | null, exposedAt: Date = T0): Promise<string> {
  const [row] = await q(`insert into customers (tenant_id, email) values ($1, $2) returning id`, [tenantId, `${name}@example.com`]);
  const id = row!.id as string;
  await q(`insert into source_profiles (tenant_id, source, external_id, customer_id) values ($1, 'events', $2, $3)`, [tenantId, `u-${name}`, id]);
  if (variant) await q(`insert into experiment_exposures (experiment_id, customer_id, tenant_id, variant, exposed_at, source) values ($1, $2, $3, $4, $5, 'api')`, [experimentId, id, tenantId, variant, exposedAt]);
  return id;
}
let seq = 0;
const event = (name: string, ev: string, at: Date, properties: Record<string, unknown> = {}) =>
  q(`insert into events (tenant_id, message_id, type, event, user_id, properties, timestamp) values ($1, $2, 'track', $3, $4, $5, $6)`, [tenantId, `m-${++seq}`, ev, `u-${name}`, JSON.stringify(properties), at]);
const order = (customerId: string, total: number, at: Date, status = 'invoiced') =>
  q(`insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at) values ($1, 'erp', $2, $3, $4, 'ARS', $5, $6)`, [tenantId, `o-${++seq}`, customerId, status, total, at]);

beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = (await seedTenant(t.db, 'exp')).tenant.id;
  for (const [key, definition] of Object.entries(defs)) {
    const [m] = await q(`insert into experiment_metrics (tenant_id, key, name, definition) values ($1, $2, $2, $3) returning id`, [tenantId, key, JSON.stringify(definition)]);
    metricIds[key] = m!.id as string;
  }
  const definition = experimentInput.parse({
    name: 'Checkout copy',
    design: { kind: 'ab', variants: [{ key: 'A', name: 'Control', weight: 50 }, { key: 'B', name: 'New', weight: 50 }] },
    audience: { kind: 'api' },
    primaryMetricId: metricIds.purchase,
    guardrailMetricIds: [metricIds.purchasePro, metricIds.ordered, metricIds.revenue, metricIds.aov, metricIds.opens],
    minSamplePerVariant: 10,
  });
  const [e] = await q(`insert into experiments (tenant_id, name, status, definition, started_at) values ($1, 'Checkout copy', 'running', $2, $3) returning id`, [tenantId, JSON.stringify(definition), T0]);
  experimentId = e!.id as string;

  // A1 buys (event + two orders) in the window and also converted the day before exposure (pre-period).
  const a1 = await customer('a1', 'A');
  await event('a1', 'purchase', h(1), { plan: 'pro' });
  await event('a1', 'purchase', h(-2), { plan: 'pro' });
  await order(a1, 1000, h(2));
  await order(a1, 500, h(3));
  await q(`insert into messages (id, tenant_id, customer_id, channel, status, sent_at, opened_at) values ('msg-a1', $1, $2, 'email', 'sent', $3, $4)`, [tenantId, a1, h(1), h(2)]);
  // A2: purchase after the 24 h window; a cancelled order in it; an email sent but never opened.
  const a2 = await customer('a2', 'A');
  await event('a2', 'purchase', h(30), { plan: 'pro' });
  await order(a2, 9999, h(1), 'cancelled');
  await q(`insert into messages (id, tenant_id, customer_id, channel, status, sent_at) values ('msg-a2', $1, $2, 'email', 'sent', $3)`, [tenantId, a2, h(1)]);
  await customer('a3', 'A');
  const b1 = await customer('b1', 'B');
  await event('b1', 'purchase', h(5), { plan: 'pro' });
  await order(b1, 2000, h(1));
  await customer('b2', 'B');
  await event('b2', 'purchase', h(23), { plan: 'pro' });
  await event('b2', 'signup', h(1));
  await customer('b3', 'B');
  await event('b3', 'purchase', h(1), { plan: 'free' });
  // B4 exposed an hour before asOf: counted as a unit, its purchase after asOf is not.
  await customer('b4', 'B', h(-1, asOf));
  await event('b4', 'purchase', h(1, asOf));
  // Exposed after asOf, and held out: neither is a unit of A or B.
  await customer('b5', 'B', h(1, asOf));
  await customer('h1', 'holdout');
  // Not exposed at all: their purchases never count.
  await customer('z1', null);
  await event('z1', 'purchase', h(1));
});
afterAll(() => t?.drop());

describe('experimentStats', () => {
  it('conversion on an event, with the pre-period', async () => {
    const s = await experimentStats(t.db.$client, tenantId, experimentId, defs.purchase!, asOf);
    expect(s.A).toEqual({ n: 3, sum: 1, sumSquares: 1, pre: { sum: 1, sumSquares: 1, crossSum: 1 } });
    expect(s.B).toEqual({ n: 4, sum: 3, sumSquares: 3, pre: { sum: 0, sumSquares: 0, crossSum: 0 } });
    expect(s.holdout).toBeUndefined();
  });
  it('property filters on the event', async () => {
    const s = await experimentStats(t.db.$client, tenantId, experimentId, defs.purchasePro!, asOf);
    expect([s.A!.sum, s.B!.sum]).toEqual([1, 2]);
  });
  it('orders: conversion, revenue per customer and AOV skip cancelled orders', async () => {
    const c = await experimentStats(t.db.$client, tenantId, experimentId, defs.ordered!, asOf);
    expect([c.A!.sum, c.B!.sum]).toEqual([1, 1]);
    const r = await experimentStats(t.db.$client, tenantId, experimentId, defs.revenue!, asOf);
    expect(r.A).toMatchObject({ n: 3, sum: 1500, sumSquares: 1500 ** 2 });
    expect(r.B).toMatchObject({ n: 4, sum: 2000, sumSquares: 2000 ** 2 });
    const a = await experimentStats(t.db.$client, tenantId, experimentId, defs.aov!, asOf);
    expect(a.A).toEqual({ n: 3, sum: 1500, sumSquares: 1500 ** 2, denominator: { sum: 2, sumSquares: 4, crossSum: 3000 } });
    expect(a.B).toEqual({ n: 4, sum: 2000, sumSquares: 2000 ** 2, denominator: { sum: 1, sumSquares: 1, crossSum: 2000 } });
  });
  it('email open rate: customers who opened an email sent to them in the window', async () => {
    const s = await experimentStats(t.db.$client, tenantId, experimentId, defs.opens!, asOf);
    expect([s.A!.n, s.A!.sum, s.B!.sum]).toEqual([3, 1, 0]);
  });
  it('asOf cuts windows: before the purchases nobody converted', async () => {
    const s = await experimentStats(t.db.$client, tenantId, experimentId, defs.purchase!, h(0.5));
    expect([s.A!.sum, s.B!.sum, s.A!.n, s.B!.n]).toEqual([0, 0, 3, 3]);
  });
});

describe('computeExperimentResults', () => {
  it('assembles exposures, holdout, every metric and a decision', async () => {
    const r = await computeExperimentResults(t.db.$client, tenantId, experimentId, asOf);
    expect(r.asOf).toBe(asOf.toISOString());
    expect(r.exposures).toEqual([{ variant: 'A', units: 3, expectedShare: 0.5 }, { variant: 'B', units: 4, expectedShare: 0.5 }]);
    expect(r.holdoutUnits).toBe(1);
    expect(r.metrics.map((m) => [m.key, m.role])).toEqual([
      ['purchase', 'primary'], ['purchasePro', 'guardrail'], ['ordered', 'guardrail'], ['revenue', 'guardrail'], ['aov', 'guardrail'], ['opens', 'guardrail'],
    ]);
    const purchase = r.metrics[0]!;
    expect(purchase.variants.map((v) => [v.variant, v.units, v.numerator, v.value])).toEqual([['A', 3, 1, 1 / 3], ['B', 4, 3, 0.75]]);
    // A1 also converted before exposure, so CUPED adjusts the primary comparison; no one ordered before exposure,
    // so the order conversion is the plain (1/4 − 1/3) / (1/3).
    expect(purchase.variants[1]!.vsControl!.cuped).toBe(true);
    const ordered = r.metrics.find((m) => m.key === 'ordered')!.variants[1]!.vsControl!;
    expect(ordered.cuped).toBe(false);
    expect(ordered.relative.estimate).toBeCloseTo(-0.25, 12);
    const aov = r.metrics.find((m) => m.key === 'aov')!;
    expect(aov.variants.map((v) => [v.numerator, v.denominator, v.value])).toEqual([[1500, 2, 750], [2000, 1, 2000]]);
    expect(r.decision).toMatchObject({ kind: 'continue' });
    expect(r.decision.reason).toContain('Minimum sample of 10');
  });
  it('an unknown experiment is a 404', async () => {
    await expect(computeExperimentResults(t.db.$client, tenantId, '00000000-0000-4000-8000-000000000000', asOf)).rejects.toMatchObject({ status: 404 });
  });
});
