// bench:experiments — results for one experiment with 1,000,000 exposures over a tenant with 10,000,000 track
// events (generated in SQL: 1M customers with an events profile, ~5% of events are the primary "purchase" event,
// 300k orders for the revenue guardrail). Times computeExperimentResults (primary conversion on an event + a
// revenue-per-customer guardrail, CUPED pre-period included) beside a plain count(*) over the same tables
// (exposures of the experiment + the tenant's events + orders) in the same run. Target: ≤ 2 s.
// Usage: npm run bench:experiments [-- --exposures 1000000 --events 10000000]
import os from 'node:os';
import { experimentInput, metricDefinition } from '#core/experiments/definition.ts';
import { computeExperimentResults } from '#db/queries/experiment-results.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { benchDatabase } from './support/database.ts';
import { saveBenchResult } from './support/results.ts';
import { cpuSeconds, trackPeakRss } from './support/rss.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EXPOSURES = arg('exposures', 1_000_000);
const EVENTS = arg('events', 10_000_000);
const NOW = new Date('2026-12-01T12:00:00Z');
const ms = (x: number) => Math.round(x);
const cid = (g: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${g}), 12, '0'))::uuid`;

async function main() {
  const rss = trackPeakRss();
  const { db, stop } = await benchDatabase('experiments');
  try {
    const tenant = await createTenant(db, { slug: 'bench' });
    console.log(`bench:experiments: ${EXPOSURES.toLocaleString('en')} exposures, ${EVENTS.toLocaleString('en')} events, ${os.cpus().length} cores (shared)`);
    let t = performance.now();
    const q = (sql: string, params: unknown[] = []) => db.$client.query(sql, params);
    const metric = async (key: string, def: unknown) =>
      (await q(`insert into experiment_metrics (tenant_id, key, name, definition) values ($1, $2, $2, $3) returning id`, [tenant.id, key, JSON.stringify(metricDefinition.parse(def))])).rows[0].id as string;
    const purchase = await metric('purchase', { type: 'conversion', source: { kind: 'event', match: { event: 'purchase' } }, windowHours: 168 });
    const revenue = await metric('revenue', { type: 'revenue_per_customer', windowHours: 168 });
    const definition = experimentInput.parse({
      name: 'Bench',
      design: { kind: 'ab', variants: [{ key: 'A', name: 'A', weight: 50 }, { key: 'B', name: 'B', weight: 50 }] },
      holdoutPercent: 5,
      audience: { kind: 'api' },
      primaryMetricId: purchase,
      guardrailMetricIds: [revenue],
    });
    const experimentId = (await q(`insert into experiments (tenant_id, name, status, definition, started_at) values ($1, 'Bench', 'running', $2, $3) returning id`, [tenant.id, JSON.stringify(definition), NOW])).rows[0].id as string;
    const loader = await db.$client.connect();
    loader.on('error', () => undefined); // the teardown after a failure terminates it
    await loader.query('set session_replication_role = replica');
    await loader.query(
      `insert into customers (id, tenant_id, email, created_at, updated_at) select ${cid('g')}, $1, 'c' || g || '@example.com', $3, $3 from generate_series(1, $2) g`,
      [tenant.id, EXPOSURES, NOW.toISOString()],
    );
    await loader.query(
      `insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution) select $1, 'events', 'u' || g, ${cid('g')}, false from generate_series(1, $2) g`,
      [tenant.id, EXPOSURES],
    );
    // Exposed over the last 7 days; 5% held out.
    await loader.query(
      `insert into experiment_exposures (experiment_id, customer_id, tenant_id, variant, exposed_at, source)
       select $1, ${cid('g')}, $2, case when g % 20 = 0 then 'holdout' when g % 2 = 0 then 'A' else 'B' end,
              $4::timestamptz - make_interval(secs => random() * 7 * 86400), 'api'
         from generate_series(1, $3) g`,
      [experimentId, tenant.id, EXPOSURES, NOW.toISOString()],
    );
    // Events over the last 14 days (half before exposure: the CUPED pre-period), 5% purchases.
    await loader.query(
      `insert into events (tenant_id, message_id, type, event, user_id, properties, timestamp)
       select $1, 'm' || g, 'track', case when g % 20 = 0 then 'purchase' when g % 3 = 0 then 'Product Added' else 'Product Viewed' end,
              'u' || (1 + (g * 7919) % $3), '{}'::jsonb, $4::timestamptz - make_interval(secs => random() * 14 * 86400)
         from generate_series(1, $2) g`,
      [tenant.id, EVENTS, EXPOSURES, NOW.toISOString()],
    );
    await loader.query(
      `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at)
       select $1, 'bench', 'o' || g, ${cid('1 + (g * 104729) % $3')}, case when g % 25 = 0 then 'cancelled' else 'invoiced' end, 'ARS',
              (500 + floor(random() * 20000))::bigint * 10, $4::timestamptz - make_interval(secs => random() * 14 * 86400)
         from generate_series(1, $2) g`,
      [tenant.id, Math.floor(EXPOSURES * 0.3), EXPOSURES, NOW.toISOString()],
    );
    await loader.query('set session_replication_role = origin');
    await loader.query('vacuum analyze');
    loader.release();
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed below)`);

    const baseline = () =>
      q(`select (select count(*) from experiment_exposures where experiment_id = $1) + (select count(*) from events where tenant_id = $2) + (select count(*) from orders where tenant_id = $2) as n`, [experimentId, tenant.id]);
    await baseline();
    t = performance.now();
    await baseline();
    const baselineMs = performance.now() - t;
    console.log(`  baseline count(*) over exposures + events + orders: ${ms(baselineMs)} ms`);
    const cpuBefore = cpuSeconds();
    const runs: number[] = [];
    let results: Awaited<ReturnType<typeof computeExperimentResults>> | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      results = await computeExperimentResults(db.$client, tenant.id, experimentId, NOW);
      runs.push(performance.now() - t0);
    }
    const cpuAfter = cpuSeconds();
    const best = Math.min(...runs);
    console.log(`  computeExperimentResults: ${runs.map(ms).join(' / ')} ms (best ${ms(best)} ms, ${+(best / baselineMs).toFixed(1)}× baseline; target ≤ 2000 ms)`);
    console.log(`  exposures ${JSON.stringify(results!.exposures.map((e) => [e.variant, e.units]))}, holdout ${results!.holdoutUnits}, primary ${results!.metrics[0]!.variants.map((v) => v.value.toFixed(4)).join(' vs ')}, decision ${results!.decision.kind}`);
    const memory = rss.stop();
    const result = {
      bench: 'experiments',
      exposures: EXPOSURES,
      events: EVENTS,
      baselineMs: ms(baselineMs),
      resultsMs: runs.map(ms),
      ratioToBaseline: +(best / baselineMs).toFixed(1),
      cpuSeconds: Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, +((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)).toFixed(1)])),
      targets: { resultsMs: 2000 },
      cores: os.cpus().length,
      note: 'The machine has 2 cores shared with other processes; wall times depend on the neighbours.',
      ...memory,
    };
    console.log(`  peak memory (RSS, all processes): ${memory.peakTotalMb} MB ${JSON.stringify(memory.peakByProcessMb)}`);
    saveBenchResult('experiments', result);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
