// bench:segments-latency — how long a qualifying track event takes to show up as a segment membership (issue 6:
// "a qualifying event is reflected within 5 s"). A tenant of N customers (generated in SQL, each with an events
// profile) has three active segments; the real activation workflow runs on a Temporal dev server with an in-process
// worker (every product workflow and activity). Each sample does what POST /api/v1/events does — insertEvents, then
// the signal-with-start that wakes the tenant's activation loop — and polls segment_memberships until the
// customer's episode is open. Samples are spaced out so each one sees an idle loop (the common case), then a burst
// of concurrent samples shows the loop under back-to-back events.
// Usage: npm run bench:segments-latency [-- --customers 100000 --samples 20 --burst 20]
import os from 'node:os';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '#activities/index.ts';
import { eventBatch } from '#core/ingest/events.ts';
import { insertEvents } from '#db/queries/ingest.ts';
import { createSegment, recomputeSegments } from '#db/queries/segments.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { activationStatusQuery, activationWakeOptions, activationWorkflowId } from '#workflows/activation/activation.contract.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { workflowsPath } from '#workers/bundle-workflows.ts';
import { cpuSeconds, trackPeakRss } from './support/rss.ts';
import { saveBenchResult } from './support/results.ts';
import { benchScratch } from './support/scratch.ts';
import { startBenchStack } from './support/stack.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CUSTOMERS = arg('customers', 100_000);
const SAMPLES = arg('samples', 20);
const BURST = arg('burst', 20);
const TARGET_MS = 5000;
const POLL_MS = 10;
const cid = (g: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${g}), 12, '0'))::uuid`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { dataDir, onStop, stopAll } = benchScratch('segments-latency');
  const rss = trackPeakRss(process.pid, 2000);
  try {
    console.log(`bench:segments-latency: ${CUSTOMERS.toLocaleString('en')} customers, ${SAMPLES} spaced samples + a burst of ${BURST}, ${os.cpus().length} cores (shared)`);
    const { db, client, temporalAddress } = await startBenchStack({ dataDir, onStop }, { dbPoolSize: 8 });

    const tenant = await createTenant(db, { slug: 'bench-latency' });
    const now = new Date();
    await db.$client.query(
      `insert into customers (id, tenant_id, email, address, attributes, created_at, updated_at)
       select ${cid('g')}, $1, 'c' || g || '@example.com', jsonb_build_object('city', (array['Buenos Aires','Rosario','Córdoba'])[1 + g % 3]),
         jsonb_build_object('tier', case when g % 10 = 0 then 'gold' else 'bronze' end), $3::timestamptz - make_interval(days => g % 1000), $3::timestamptz - interval '1 day'
       from generate_series(1, $2) g`,
      [tenant.id, CUSTOMERS, now.toISOString()],
    );
    await db.$client.query(
      `insert into source_profiles (tenant_id, source, external_id, customer_id, pending_resolution, updated_at)
       select $1, 'events', 'u' || g, ${cid('g')}, false, $3::timestamptz - interval '1 day' from generate_series(1, $2) g`,
      [tenant.id, CUSTOMERS, now.toISOString()],
    );
    await db.$client.query(
      `insert into customer_consents (tenant_id, customer_id, channel, status, source, updated_at)
       select $1, ${cid('g')}, 'email', 'granted', 'bench', $3::timestamptz - interval '1 day' from generate_series(1, $2) g where g % 2 = 0`,
      [tenant.id, CUSTOMERS, now.toISOString()],
    );
    await db.$client.query('vacuum analyze');
    // The segment under test, plus two more the refresh evaluates for every changed customer.
    const target = await createSegment(db.$client, tenant.id, {
      name: 'Added to cart today',
      definition: { kind: 'event', event: 'Product Added', window: { kind: 'last_days', days: 1 } },
    });
    await createSegment(db.$client, tenant.id, {
      name: 'Gold in Rosario',
      definition: { kind: 'group', op: 'and', rules: [{ kind: 'attribute', key: 'tier', predicate: { type: 'string', op: 'equals', value: 'gold' } }, { kind: 'profile', field: 'address.city', predicate: { type: 'string', op: 'equals', value: 'Rosario' } }] },
    });
    await createSegment(db.$client, tenant.id, {
      name: 'Reachable browsers',
      definition: { kind: 'group', op: 'and', rules: [{ kind: 'event', event: 'Product Viewed', window: { kind: 'last_days', days: 30 } }, { kind: 'consent', channel: 'email' }] },
    });
    await recomputeSegments(db, tenant.id, new Date());

    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    onStop(() => workerConnection.close());
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue: TASK_QUEUES.journeys,
      workflowsPath,
      activities: createActivities({ db }),
    });
    const running = worker.run();
    onStop(async () => {
      worker.shutdown();
      await running;
    });
    // The loop is up and idle before the first sample (its first pass reads nothing new).
    await client.workflow.signalWithStart('activationWorkflow', activationWakeOptions(tenant.id));
    const loop = client.workflow.getHandle(activationWorkflowId(tenant.id));
    for (;;) {
      if ((await loop.query(activationStatusQuery)).passes > 0) break;
      await sleep(100);
    }

    let next = 1;
    /** What the events route does, then the wait for the membership row. */
    const sample = async (): Promise<number> => {
      const g = next++ * 7 + 3;
      const customerId = `00000000-0000-4000-8000-${g.toString(16).padStart(12, '0')}`;
      const { batch } = eventBatch.parse({ batch: [{ type: 'track', messageId: `lat-${g}-${Date.now()}`, event: 'Product Added', userId: `u${g}`, properties: { sku: 'A-1' }, timestamp: new Date().toISOString() }] });
      const t0 = performance.now();
      await insertEvents(db.$client, tenant.id, batch, new Date());
      await client.workflow.signalWithStart('activationWorkflow', activationWakeOptions(tenant.id));
      for (;;) {
        const { rowCount } = await db.$client.query('select 1 from segment_memberships where segment_id = $1 and customer_id = $2 and exited_at is null', [target.id, customerId]);
        if (rowCount) return performance.now() - t0;
        if (performance.now() - t0 > 60_000) throw new Error(`no membership for ${customerId} after 60 s`);
        await sleep(POLL_MS);
      }
    };

    const cpu0 = cpuSeconds();
    const spaced: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      spaced.push(await sample());
      await sleep(500 + Math.random() * 500);
    }
    const burst = await Promise.all(Array.from({ length: BURST }, () => sample()));
    const cpu1 = cpuSeconds();
    const status = await loop.query(activationStatusQuery);
    const fmt = (xs: number[]) => ({ p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)), max: Math.round(Math.max(...xs)) });
    const result = {
      bench: 'segments-latency',
      at: new Date().toISOString(),
      cores: os.cpus().length,
      loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
      customers: CUSTOMERS,
      activeSegments: 3,
      path: 'insertEvents (the events route) + signal-with-start of the activation workflow; real worker, Temporal dev server, embedded PostgreSQL',
      spacedMs: fmt(spaced),
      burstMs: fmt(burst),
      samples: { spaced: spaced.map(Math.round), burst: burst.map(Math.round) },
      targetMs: TARGET_MS,
      activationPasses: status.passes,
      cpuSeconds: Object.fromEntries(Object.keys(cpu1).map((k) => [k, Number(((cpu1[k] ?? 0) - (cpu0[k] ?? 0)).toFixed(1))])),
      ...rss.stop(),
    };
    console.log(`  spaced (${SAMPLES}): p50 ${result.spacedMs.p50} ms, p95 ${result.spacedMs.p95} ms, max ${result.spacedMs.max} ms (target ≤ ${TARGET_MS} ms)`);
    console.log(`  burst (${BURST} at once): p50 ${result.burstMs.p50} ms, p95 ${result.burstMs.p95} ms, max ${result.burstMs.max} ms`);
    console.log(`  activation passes: ${status.passes}; peak RSS ${result.peakTotalMb} MB`);
    saveBenchResult('segments-latency', result);
  } catch (err) {
    // Printed before teardown: closing connections can raise errors of their own that would hide it.
    console.error(err);
    process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

await main();
