// bench:segments — segment previews and the incremental membership refresh on a tenant of 1,000,000 customers
// (generated in SQL: scores for all, orders for a third, track events for a tenth, consents for 60%). Times the
// preview (count + sample of 20, one compiled query each) of three realistic rules, a full recompute of the three,
// and the activation feed's incremental refresh of 1,000 changed customers. The baseline in the same run is
// `select count(*) from customers where tenant_id = $1`: the cheapest pass over the tenant any preview must beat.
// Usage: npm run bench:segments [-- --customers 1000000]
import os from 'node:os';
import { RFM_SEGMENTS, segmentRule, type SegmentRuleInput } from '#core/segments/rule.ts';
import { createSegment, previewSegment, recomputeSegments, refreshChangedCustomers } from '#db/queries/segments.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { benchDatabase } from './support/database.ts';
import { saveBenchResult } from './support/results.ts';
import { cpuSeconds, trackPeakRss } from './support/rss.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 1_000_000);
const CHANGED = arg('changed', 1000);
const NOW = new Date('2026-12-01T12:00:00Z');
const ms = (x: number) => Math.round(x);
const cid = (g: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${g}), 12, '0'))::uuid`;

const rules: Record<string, SegmentRuleInput> = {
  // Best customers who bought recently.
  championsRecent: {
    kind: 'group',
    op: 'and',
    rules: [
      { kind: 'score', score: 'rfmSegment', predicate: { type: 'string', op: 'in', values: ['champions', 'loyal_customers'] } },
      { kind: 'orders', metric: 'count', window: { kind: 'last_days', days: 90 }, predicate: { type: 'number', op: 'gte', value: 1 } },
    ],
  },
  // Cart abandoners reachable by email: added to cart this week, did not complete an order.
  cartAbandoners: {
    kind: 'group',
    op: 'and',
    rules: [
      { kind: 'event', event: 'Product Added', window: { kind: 'last_days', days: 7 } },
      { kind: 'event', event: 'Order Completed', performed: false, window: { kind: 'last_days', days: 7 } },
      { kind: 'consent', channel: 'email' },
    ],
  },
  // High-value gold members in two cities, or anyone with high churn risk and a big CLV.
  goldHighValue: {
    kind: 'group',
    op: 'or',
    rules: [
      {
        kind: 'group',
        op: 'and',
        rules: [
          { kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } },
          { kind: 'profile', field: 'address.city', predicate: { type: 'string', op: 'in', values: ['Rosario', 'Córdoba'] } },
          { kind: 'orders', metric: 'revenue', predicate: { type: 'number', op: 'gte', value: 100_000 } },
        ],
      },
      {
        kind: 'group',
        op: 'and',
        rules: [
          { kind: 'score', score: 'churnRisk', predicate: { type: 'number', op: 'gt', value: 0.8 } },
          { kind: 'score', score: 'clv1y', predicate: { type: 'number', op: 'gte', value: 500_000 } },
        ],
      },
    ],
  },
};

async function main() {
  const rss = trackPeakRss();
  const { db, stop } = await benchDatabase('segments');
  try {
    const tenant = await createTenant(db, { slug: 'bench' });
    const buyers = Math.floor(CUSTOMERS / 3);
    const trackers = Math.floor(CUSTOMERS / 10);
    console.log(`bench:segments: ${CUSTOMERS.toLocaleString('en')} customers, ${os.cpus().length} cores (shared), load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    let t = performance.now();
    const loader = await db.$client.connect();
    const q = (sql: string, params: unknown[] = []) => loader.query(sql, params);
    await q('set session_replication_role = replica');
    await q(
      `insert into customers (id, tenant_id, email, first_name, address, attributes, created_at, updated_at)
       select ${cid('g')}, $1, 'c' || g || '@example.com', 'C' || g,
         jsonb_build_object('city', (array['Buenos Aires','Rosario','Córdoba','Mendoza','La Plata'])[1 + g % 5]),
         jsonb_build_object('tier', case when g % 10 = 0 then 'gold' when g % 3 = 0 then 'silver' else 'bronze' end),
         $3::timestamptz - make_interval(days => g % 1000), $3::timestamptz - interval '1 day'
       from generate_series(1, $2) g`,
      [tenant.id, CUSTOMERS, NOW.toISOString()],
    );
    await q(
      `insert into customer_scores (customer_id, tenant_id, run_id, as_of, orders, orders365, revenue_minor, currency, rfm_segment, lifecycle_state, lifecycle_reason, lifecycle_since, clv1y_minor, churn_risk, p_alive)
       select ${cid('g')}, $1, gen_random_uuid(), $3, 1, 1, 1000, 'ARS', ($4::text[])[1 + g % array_length($4::text[], 1)], 'ACTIVE', 'bench', $3,
         (random() * 1000000)::bigint, random(), random()
       from generate_series(1, $2) g`,
      [tenant.id, CUSTOMERS, NOW.toISOString(), RFM_SEGMENTS],
    );
    await q(
      `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at, updated_at)
       select $1, 'bench', 'o' || g, ${cid('1 + (g % $3)')}, 'invoiced', 'ARS', (500 + floor(random() * 20000))::bigint * 10,
         $4::timestamptz - make_interval(secs => random() * 730 * 86400), $4::timestamptz - interval '1 day'
       from generate_series(1, $2) g`,
      [tenant.id, buyers * 3, buyers, NOW.toISOString()],
    );
    await q(
      `insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution, updated_at)
       select $1, 'events', 'u' || g, ${cid('g')}, false, $3::timestamptz - interval '1 day' from generate_series(1, $2) g`,
      [tenant.id, trackers, NOW.toISOString()],
    );
    await q(
      `insert into events (tenant_id, message_id, type, event, user_id, properties, timestamp)
       select $1, 'm' || g, 'track', (array['Product Viewed','Product Viewed','Product Added','Order Completed'])[1 + g % 4], 'u' || (1 + g % $3),
         jsonb_build_object('price', g % 100), $4::timestamptz - make_interval(secs => random() * 30 * 86400)
       from generate_series(1, $2) g`,
      [tenant.id, trackers * 5, trackers, NOW.toISOString()],
    );
    await q(
      `insert into customer_consents (tenant_id, customer_id, channel, status, source, updated_at)
       select $1, ${cid('g')}, 'email', 'granted', 'bench', $3::timestamptz - interval '1 day' from generate_series(1, $2) g where g % 5 < 3`,
      [tenant.id, CUSTOMERS, NOW.toISOString()],
    );
    await q('set session_replication_role = origin');
    await q('vacuum analyze');
    loader.release();
    const counts = (await db.$client.query(`select (select count(*) from orders)::int as orders, (select count(*) from events)::int as events`)).rows[0] as { orders: number; events: number };
    console.log(`  generated in ${(performance.now() - t) / 1000} s (not timed below): ${counts.orders.toLocaleString('en')} orders, ${counts.events.toLocaleString('en')} events`);

    // Baseline, warm: a count over the tenant's customers.
    await db.$client.query('select count(*) from customers where tenant_id = $1', [tenant.id]);
    t = performance.now();
    await db.$client.query('select count(*) from customers where tenant_id = $1', [tenant.id]);
    const baselineMs = performance.now() - t;
    console.log(`  baseline count(*) over the tenant's customers: ${ms(baselineMs)} ms`);

    if (process.argv.includes('--explain')) {
      const { compileSegment } = await import('#core/segments/compile.ts');
      for (const [name, input] of Object.entries(rules)) {
        const { sql, params } = compileSegment(segmentRule.parse(input), { tenantId: tenant.id, now: NOW });
        // With the settings previewSegment uses (serial plans, work_mem), so the plan is the preview's.
        const c = await db.$client.connect();
        await c.query('begin read only');
        await c.query(`set local work_mem = '128MB'`);
        await c.query('set local max_parallel_workers_per_gather = 0');
        const plan = await c.query(`explain (analyze, buffers) select count(*) from (${sql}) m`, params);
        await c.query('commit');
        c.release();
        console.log(`--- ${name}\n${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
      }
    }
    const cpuBefore = cpuSeconds();
    const previews: Record<string, { count: number; ms: number; ratioToBaseline: number } | { timedOut: string }> = {};
    for (const [name, input] of Object.entries(rules)) {
      const rule = segmentRule.parse(input);
      const t0 = performance.now();
      // Cold: the first preview of a rule, as a marketer sees it.
      const p = await previewSegment(db.$client, tenant.id, rule, NOW).catch((err: Error) => err);
      const took = performance.now() - t0;
      if (p instanceof Error) {
        previews[name] = { timedOut: p.message };
        console.log(`  preview ${name}: ${p.message}`);
        continue;
      }
      previews[name] = { count: p.count, ms: ms(took), ratioToBaseline: +(took / baselineMs).toFixed(1) };
      console.log(`  preview ${name}: ${p.count.toLocaleString('en')} customers in ${ms(took)} ms (${+(took / baselineMs).toFixed(1)}× baseline; target ≤ 2000 ms)`);
    }

    for (const [name, input] of Object.entries(rules)) await createSegment(db.$client, tenant.id, { name, definition: input });
    t = performance.now();
    const full = await recomputeSegments(db, tenant.id, NOW);
    const fullMs = performance.now() - t;
    console.log(`  full recompute of 3 segments: ${ms(fullMs)} ms, ${full.entered.toLocaleString('en')} entries`);

    // 1,000 customers change (tier flips: some enter or leave goldHighValue), then one activation step refreshes them.
    await refreshChangedCustomers(db, tenant.id, 5000, new Date());
    await db.$client.query(
      `update customers set attributes = jsonb_build_object('tier', case when attributes->>'tier' = 'gold' then 'silver' else 'gold' end), updated_at = now()
       where id in (select ${cid('g')} from generate_series(1, $2) g) and tenant_id = $1`,
      [tenant.id, CHANGED],
    );
    t = performance.now();
    const refresh = await refreshChangedCustomers(db, tenant.id, 5000, new Date());
    const refreshMs = performance.now() - t;
    console.log(`  incremental refresh of ${refresh.customersChecked} changed customers: ${ms(refreshMs)} ms (${refresh.entered} entered, ${refresh.exited} exited)`);
    // The same step with nothing new: the fixed cost of every activation pass.
    t = performance.now();
    const idle = await refreshChangedCustomers(db, tenant.id, 5000, new Date());
    const idleMs = performance.now() - t;
    console.log(`  idle refresh (overlap re-read: ${idle.customersChecked} customers): ${ms(idleMs)} ms`);
    const cpuAfter = cpuSeconds();
    const memory = rss.stop();
    const result = {
      bench: 'segments',
      customers: CUSTOMERS,
      orders: counts.orders,
      events: counts.events,
      baselineMs: ms(baselineMs),
      previews,
      fullRecomputeMs: ms(fullMs),
      fullRecomputeEntries: full.entered,
      incrementalRefresh: { customers: refresh.customersChecked, ms: ms(refreshMs), entered: refresh.entered, exited: refresh.exited, ratioToBaseline: +(refreshMs / baselineMs).toFixed(1) },
      idleRefreshMs: ms(idleMs),
      cpuSeconds: Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, +((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)).toFixed(1)])),
      targets: { previewMs: 2000 },
      cores: os.cpus().length,
      loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
      note: 'The machine has 2 cores shared with other processes; wall times depend on the neighbours.',
      ...memory,
    };
    console.log(`  peak memory (PSS, all processes): ${memory.peakTotalMb} MB ${JSON.stringify(memory.peakByProcessMb)}`);
    saveBenchResult('segments', result);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
