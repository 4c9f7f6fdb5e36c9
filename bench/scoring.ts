// bench:scoring — a full nightly scoring run over a tenant of 1,000,000 customers and 10,000,000 orders (plus
// their order lines), generated in SQL with generate_series. The run is the workflow's activities in the
// workflow's order, over a real PostgreSQL; the baseline in the same run is the plain per-customer aggregate any
// RFM computation must pay: SELECT customer_id, count(*), sum(total), max(placed_at) … GROUP BY customer_id.
// Usage: npm run bench:scoring [-- --customers 1000000 --orders 10000000 --products 2000] [--data-dir DIR [--generate-only]]
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScoringActivities } from '#activities/scoring/scoring.activities.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { benchDatabase } from './support/database.ts';
import { BENCH_TRUTH, generateScoringTenant } from './support/scoring-data.ts';
import { cpuSeconds, trackPeakRss } from './support/rss.ts';
import { saveBenchResult } from './support/results.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 1_000_000);
const ORDERS = arg('orders', 10_000_000);
const PRODUCTS = arg('products', 2000);
const CATEGORIES = 20;
/** Keep the generated database here and reuse it on the next run (10,000,000 orders take a while to generate). */
const DATA_DIR = (() => {
  const i = process.argv.indexOf('--data-dir');
  return i > 0 ? path.resolve(process.argv[i + 1]!) : undefined;
})();
const GENERATE_ONLY = process.argv.includes('--generate-only');
const AS_OF = '2026-12-01T05:00:00Z';
const s = (ms: number) => +(ms / 1000).toFixed(2);

async function main() {
  const rss = trackPeakRss();
  const { db, stop } = await benchDatabase('scoring', 4, DATA_DIR);
  try {
    const saved = DATA_DIR && fs.existsSync(path.join(DATA_DIR, 'tenant.json')) ? (JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'tenant.json'), 'utf8')) as { tenantId: string; customers: number; orders: number; products: number }) : null;
    if (saved && (saved.customers !== CUSTOMERS || saved.orders !== ORDERS || saved.products !== PRODUCTS)) throw new Error(`${DATA_DIR} holds a tenant of another size: ${JSON.stringify(saved)}`);
    const reused = saved !== null;
    const tenant = saved ? { id: saved.tenantId } : await createTenant(db, { slug: 'bench' });
    // A reused database measures a first run again: the earlier runs' scores go.
    if (reused) await db.$client.query('truncate customer_scores, customer_score_history, score_events, scoring_runs, scoring_work, product_neighbours');
    console.log(`bench:scoring: ${CUSTOMERS.toLocaleString('en')} customers, ${ORDERS.toLocaleString('en')} orders, ${PRODUCTS} products, ${os.cpus().length} cores (shared)`);

    let t = performance.now();
    if (reused) console.log(`  reusing the database generated earlier in ${DATA_DIR} (its scoring rows cleared)`);
    else {
      const loader = await db.$client.connect();
      try {
        const g = await generateScoringTenant(loader, { tenantId: tenant.id, customers: CUSTOMERS, orders: ORDERS, products: PRODUCTS, categories: CATEGORIES, asOf: AS_OF }, console.log);
        console.log(`  buyers drawn from BG/NBD (r = ${BENCH_TRUTH.r}, α = ${g.alphaWeeks.toFixed(3)} weeks, a = ${BENCH_TRUTH.a}, b = ${BENCH_TRUTH.b}) and Gamma–Gamma (p = ${BENCH_TRUTH.p}, q = ${BENCH_TRUTH.q}, γ = ${BENCH_TRUTH.gamma})`);
      } finally {
        loader.release();
      }
      if (DATA_DIR) fs.writeFileSync(path.join(DATA_DIR, 'tenant.json'), JSON.stringify({ tenantId: tenant.id, customers: CUSTOMERS, orders: ORDERS, products: PRODUCTS }));
    }
    const q = (sql: string, params: unknown[] = []) => db.$client.query(sql, params);
    if (GENERATE_ONLY) {
      rss.stop(); // its sampling timer would keep the process alive
      return;
    }
    const counts = (await q(`select (select count(*) from orders)::int as orders, (select count(*) from order_items)::int as items`)).rows[0] as { orders: number; items: number };
    console.log(`  ${reused ? 'reused' : `generated in ${s(performance.now() - t)} s`} (not timed below): ${counts.orders.toLocaleString('en')} orders, ${counts.items.toLocaleString('en')} order lines`);

    // Baseline: the floor.
    t = performance.now();
    const base = await q(`select customer_id, count(*), sum(total_minor), max(placed_at) from orders where tenant_id = $1 group by customer_id`, [tenant.id]);
    const baselineMs = performance.now() - t;
    console.log(`  baseline GROUP BY customer_id: ${s(baselineMs)} s (${base.rowCount?.toLocaleString('en')} rows)`);

    const acts = createScoringActivities({ db });
    const cpuBefore = cpuSeconds();
    const started = performance.now();
    const steps: Record<string, number> = {};
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const out = await fn();
      steps[name] = s(performance.now() - t0);
      console.log(`  step ${name}: ${steps[name]} s`);
      return out;
    };
    const runId = randomUUID();
    const ctx = await step('begin', () => acts.beginScoring({ tenantId: tenant.id, runId, asOf: AS_OF, trigger: 'manual', workflowId: 'bench', workflowRunId: 'bench' }));
    const summary = await step('summaries', () => acts.buildScoringSummaries(ctx));
    const models = await step('models', () => acts.fitCustomerModels(ctx));
    await step('neighbours', () => acts.rebuildProductNeighbours(ctx));
    const propensity = await step('propensity', () => acts.fitPropensityModels(ctx));
    const scored = await step('customers', () => acts.scoreCustomers({ ctx, models, propensity }));
    const prospects = await step('prospects', () => acts.scoreProspectCustomers(ctx));
    await step('finish', () => acts.finishScoring({ tenantId: tenant.id, runId, status: 'succeeded' }));
    const totalMs = performance.now() - started;
    const cpuAfter = cpuSeconds();
    const run = (await q('select parameters, diagnostics, steps from scoring_runs where id = $1', [runId])).rows[0] as { parameters: Record<string, unknown>; diagnostics: Record<string, unknown> };
    const memory = rss.stop();
    const fitMs = ((run.diagnostics.bgnbdFit as { ms?: number } | null)?.ms ?? 0) + ((run.diagnostics.gammaGammaFit as { ms?: number } | null)?.ms ?? 0);
    const result = {
      bench: 'scoring',
      customers: CUSTOMERS,
      orders: counts.orders,
      orderItems: counts.items,
      customersWithOrders: summary.customers,
      customersScored: scored.customers,
      prospects: prospects.prospects,
      totalSeconds: s(totalMs),
      steps,
      fitSeconds: s(fitMs),
      baselineSeconds: s(baselineMs),
      ratioToBaseline: +(totalMs / baselineMs).toFixed(1),
      cpuSeconds: Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, +((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)).toFixed(1)])),
      modelSource: models.source,
      fallback: run.diagnostics.fallback ?? null,
      bgnbdFit: run.diagnostics.bgnbdFit ?? null,
      customerStepMs: run.diagnostics.customerStepMs,
      bgnbd: models.bgnbd,
      gammaGamma: models.gammaGamma,
      propensityAuc: Object.fromEntries(
        Object.entries(((run.diagnostics.propensity as { categories?: Record<string, { auc: number | null }> }) ?? {}).categories ?? {}).map(([k, v]) => [k, v.auc]),
      ),
      targets: { totalSeconds: 300, fitSeconds: 10 },
      cores: os.cpus().length,
      note: 'The machine has 2 cores shared with other processes; wall times depend on the neighbours.',
      ...memory,
    };
    console.log(`  full run: ${result.totalSeconds} s (target ≤ 300), fits ${result.fitSeconds} s (target ≤ 10), ${result.ratioToBaseline}× the GROUP BY baseline`);
    console.log(`  peak memory (PSS, all processes): ${memory.peakTotalMb} MB ${JSON.stringify(memory.peakByProcessMb)}`);
    saveBenchResult('scoring', result);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
