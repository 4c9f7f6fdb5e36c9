// bench:sync — a VTEX backfill of 200,000 orders (with items, customers and products) from the fake VTEX server
// (its own process) through the real workflows (connectionSyncWorkflow → vtexSyncWorkflow) on a Temporal dev
// server, with an in-process worker writing to embedded PostgreSQL. Baseline in the same run: the fake's raw
// page-serving rate (every list page and order detail fetched with the same concurrency, nothing stored).
// Usage: npm run bench:sync [-- --orders 200000]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '#activities/index.ts';
import { LIST_PAGE_SIZE, vtexClient } from '#activities/connectors/vtex/client.ts';
import { DETAIL_CONCURRENCY, fetchOrderDetails } from '#activities/connectors/vtex/sync.activities.ts';
import { mapLimit } from '#activities/connectors/http.ts';
import { partsFor, split, type TimeWindow } from '#core/connectors/windows.ts';
import { createDb } from '#db/client.ts';
import { runMigrations } from '#db/migrate.ts';
import { createConnection } from '#db/queries/connections.ts';
import { createTenant } from '#db/queries/tenants.ts';
import { startEmbeddedPostgres } from '#platform/embedded-postgres.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { freePort } from '#platform/stack.ts';
import { findTemporalBinary } from '#platform/temporal-binary.ts';
import { startTemporalDevServer } from '#platform/temporal-dev-server.ts';
import type { connectionSyncWorkflow } from '#workflows/connectors/sync.workflow.ts';
import { ORDER_LANES, ORDERS_PER_WINDOW } from '#workflows/connectors/vtex.contract.ts';
import { workflowsPath } from '#workers/bundle-workflows.ts';
import { cpuSeconds, trackPeakRss } from './support/rss.ts';
import { saveBenchResult } from './support/results.ts';
import { benchScratch } from './support/scratch.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ORDERS = arg('orders', 200_000);
const TARGET = 2000;
/** --pg-stats: print the statements PostgreSQL spent its time on (pg_stat_statements). */
const PG_STATS = process.argv.includes('--pg-stats');
/** --no-baseline: skip the raw pass (profiling the sync alone, e.g. with NODE_OPTIONS=--cpu-prof). */
const BASELINE = !process.argv.includes('--no-baseline');

interface FakeInfo {
  url: string;
  account: string;
  appKey: string;
  appToken: string;
  orders: number;
  orderTotal: number;
  items: number;
  customers: number;
  products: number;
  firstOrderAt: string;
  generatedInMs: number;
}

async function startFake(): Promise<{ info: FakeInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, [...process.execArgv, 'tests/fakes/vtex-cli.ts', '--orders', String(ORDERS), '--seed', '7'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake VTEX exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return { info: JSON.parse(line) as FakeInfo, child };
}

/** The fake's raw serving rate: windows planned as the connector does, every page and detail fetched, nothing stored. */
async function rawServingRate(info: FakeInfo, until: string) {
  const client = vtexClient({ account: info.account, environment: 'vtexcommercestable', baseUrl: info.url }, info);
  const range = { from: new Date(Date.parse(info.firstOrderAt) - 60_000).toISOString(), to: until };
  const t = performance.now();
  const total = await client.countOrders(range);
  const windows = split(range, partsFor(total, ORDERS_PER_WINDOW));
  let fetched = 0;
  await mapLimit(windows, ORDER_LANES, async (w: TimeWindow) => {
    for (let page = 1; ; page++) {
      const list = await client.listOrders(w, page);
      if (list.paging.total > 3000) throw new Error('raw pass: a window over the cap (data not spread evenly)');
      const { details } = await fetchOrderDetails(client, list.list.map((o) => o.orderId));
      fetched += details.length;
      if (page >= Math.ceil(list.paging.total / LIST_PAGE_SIZE)) return;
    }
  });
  const seconds = (performance.now() - t) / 1000;
  return { orders: fetched, seconds, ordersPerSecond: fetched / seconds };
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { dataDir, onStop, stopAll } = benchScratch('sync');
  // Every 2 s: each sample reads /proc for every process on the machine, CPU the bench would count as its own.
  const rss = trackPeakRss(process.pid, 2000);

  try {
    console.log(`bench:sync: VTEX backfill of ${ORDERS.toLocaleString('en')} orders, ${os.cpus().length} cores`);
    let t = performance.now();
    const [pg, temporalBin, fake] = await Promise.all([
      freePort().then((port) =>
        startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, settings: PG_STATS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {} }),
      ),
      findTemporalBinary({ cliPath: process.env.TEMPORAL_CLI_PATH, searchPath: process.env.PATH ?? '', dataDir: path.resolve('.data'), allowDownload: true }),
      startFake(),
    ]);
    onStop(() => pg.stop());
    onStop(async () => {
      if (fake.child.exitCode !== null) return;
      const exited = new Promise((r) => fake.child.once('exit', r));
      fake.child.kill('SIGTERM');
      await exited;
    });
    const temporal = await startTemporalDevServer({ binary: temporalBin.path, port: await freePort(), namespace: 'default', logFile: path.join(dataDir, 'temporal.log') });
    onStop(() => temporal.stop());
    await runMigrations(pg.url);
    if (PG_STATS) {
      const admin = createDb(pg.url, 1);
      await admin.$client.query('create extension if not exists pg_stat_statements');
      await admin.$client.end();
    }
    const db = createDb(pg.url, 12);
    onStop(() => db.$client.end());
    const info = fake.info;
    console.log(`  setup ${((performance.now() - t) / 1000).toFixed(1)} s (fake store generated in ${(info.generatedInMs / 1000).toFixed(1)} s: ${info.orders.toLocaleString('en')} orders, ${info.customers.toLocaleString('en')} CL customers, ${info.products} products)`);

    const until = new Date().toISOString();
    const raw = BASELINE ? await rawServingRate(info, until) : { orders: 0, seconds: NaN, ordersPerSecond: NaN };
    if (BASELINE) console.log(`  baseline: the fake served ${raw.orders.toLocaleString('en')} orders (list pages + details, ${ORDER_LANES} windows × ${DETAIL_CONCURRENCY} details in flight) in ${raw.seconds.toFixed(1)} s = ${Math.round(raw.ordersPerSecond)} orders/s`);

    const keyring = keyringFrom(randomBytes(32).toString('hex'));
    const tenant = await createTenant(db, { slug: 'bench-sync' });
    const conn = await createConnection(db.$client, keyring, tenant.id, {
      kind: 'vtex',
      name: 'VTEX bench',
      config: { account: info.account, baseUrl: info.url, backfillFrom: new Date(Date.parse(info.firstOrderAt) - 60_000).toISOString(), streams: { customers: true, orders: true, products: true } },
      credentials: { appKey: info.appKey, appToken: info.appToken },
    });

    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const taskQueue = 'bench-sync';
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath, activities: createActivities({ db, keyring }) });
    const running = worker.run();
    onStop(async () => {
      worker.shutdown();
      await running;
      await nativeConnection.close();
    });
    const clientConnection = await Connection.connect({ address: temporal.address });
    onStop(() => clientConnection.close());
    const client = new Client({ connection: clientConnection });

    const cpuBefore = cpuSeconds();
    t = performance.now();
    const counts = await client.workflow.execute<typeof connectionSyncWorkflow>('connectionSyncWorkflow', {
      workflowId: `bench-sync:${conn.id}`,
      taskQueue,
      args: [{ tenantId: tenant.id, connectionId: conn.id, trigger: 'manual' }],
    });
    const seconds = (performance.now() - t) / 1000;
    const cpuAfter = cpuSeconds();
    const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, +(v - (cpuBefore[k] ?? 0)).toFixed(1)]));
    const cpuTotal = Object.values(cpu).reduce((a, b) => a + b, 0);

    const q = async (sql: string) => (await db.$client.query(sql, [tenant.id])).rows[0] as Record<string, number>;
    const stored = {
      orders: (await q('select count(*)::int as n from orders where tenant_id = $1')).n!,
      orderTotal: Number((await q('select sum(total_minor)::bigint as s from orders where tenant_id = $1')).s),
      items: (await q('select count(*)::int as n from order_items where tenant_id = $1')).n!,
      profiles: (await q('select count(*)::int as n from source_profiles where tenant_id = $1')).n!,
      products: (await q('select count(*)::int as n from products where tenant_id = $1')).n!,
    };
    const [run] = (await db.$client.query('select status, counts, progress from sync_runs where connection_id = $1', [conn.id])).rows;
    const complete = stored.orders === info.orders && stored.orderTotal === info.orderTotal && stored.items === info.items;
    const ordersPerSecond = info.orders / seconds;
    const memory = rss.stop();
    const result = {
      bench: 'sync',
      orders: info.orders,
      customers: info.customers,
      products: info.products,
      cores: os.cpus().length,
      seconds: +seconds.toFixed(1),
      ordersPerSecond: Math.round(ordersPerSecond),
      baselineOrdersPerSecond: Math.round(raw.ordersPerSecond),
      baselineSeconds: +raw.seconds.toFixed(1),
      ratioToBaseline: +(ordersPerSecond / raw.ordersPerSecond).toFixed(2),
      /** CPU seconds each process group spent during the sync; the machine is shared, so wall time depends on neighbours. */
      cpuSeconds: cpu,
      cpuMsPerOrder: +((cpuTotal * 1000) / info.orders).toFixed(2),
      /** What the same CPU work would give on 2 otherwise idle cores. */
      ordersPerSecondIfCpuBound: Math.round(info.orders / (cpuTotal / os.cpus().length)),
      target: TARGET,
      complete,
      stored,
      runCounts: run?.counts,
      runProgress: run?.progress,
      workflowCounts: counts,
      ...memory,
    };
    console.log(
      `  sync: ${info.orders.toLocaleString('en')} orders (+ ${stored.items.toLocaleString('en')} items, ${stored.profiles.toLocaleString('en')} profiles, ${stored.products} products) in ${seconds.toFixed(1)} s = ${result.ordersPerSecond} orders/s end to end (target ≥ ${TARGET}), ${result.ratioToBaseline}× the fake's raw rate; ${run?.progress?.totalWindows} windows; data ${complete ? 'complete' : 'INCOMPLETE'}`,
    );
    console.log(`  CPU during the sync: ${cpuTotal.toFixed(1)} s ${JSON.stringify(cpu)} = ${result.cpuMsPerOrder} ms per order (≈ ${result.ordersPerSecondIfCpuBound} orders/s if the ${os.cpus().length} cores were ours alone)`);
    console.log(`  peak memory (PSS, all processes): ${memory.peakTotalMb} MB ${JSON.stringify(memory.peakByProcessMb)}`);
    if (PG_STATS) {
      const top = await db.$client.query(
        `select round(total_exec_time)::int as ms, calls, round((total_exec_time / calls)::numeric, 2) as avg_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
         from pg_stat_statements order by total_exec_time desc limit 15`,
      );
      console.table(top.rows);
    }
    saveBenchResult('sync', result);
    if (!complete) process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
