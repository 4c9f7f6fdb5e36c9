// `npm run demo:seed`: fills a running local install (`npm start`) with demo data — see scripts/demo/seed.ts.
// This process serves the fake VTEX store the demo connection syncs from (demo use only: the store is generated,
// not real), adds a few orders a minute so scheduled syncs have news, and pauses the connection when stopped.
// Usage: npm run demo:seed [-- --port 4010] [-- --exit]
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { patchConnectionFor, type ConnectionsDeps } from '#app/server/connections.server.ts';
import { createDb } from '#db/client.ts';
import { env } from '#platform/env.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { closeTemporal, getTemporalClient } from '#platform/temporal.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { FakeVtex } from '../tests/fakes/vtex.ts';
import { DEMO_TENANT, demoCustomersCsv, demoDataset, seedDemo } from './demo/seed.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const PORT = option('port', 4010);
const DAY = 86_400_000;

async function main() {
  const e = env();
  const databaseUrl = e.DATABASE_URL ?? `postgres://nerdistan:nerdistan@127.0.0.1:${e.EMBEDDED_PG_PORT}/nerdistan`;
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  if (!(await probe.connect().then(() => true, () => false))) throw new Error('PostgreSQL is not reachable: start the CDP first with `npm start` (in another terminal), then run `npm run demo:seed`.');
  await probe.end();
  const keyFile = path.join(e.dataDir, 'credentials.key');
  const key = e.CREDENTIALS_KEY ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!key) throw new Error(`CREDENTIALS_KEY is not set and there is no ${keyFile}: start the CDP with \`npm start\` first.`);
  const ring = keyringFrom(key);

  // The store's time anchor is kept, so every run serves the same orders (same ids, dates and amounts).
  const stateFile = path.join(e.dataDir, 'demo', 'vtex-store.json');
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  if (!fs.existsSync(stateFile)) fs.writeFileSync(stateFile, JSON.stringify({ anchorMs: Math.floor(Date.now() / DAY) * DAY }) + '\n');
  const { anchorMs } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { anchorMs: number };
  const data = demoDataset({ anchorMs });
  const fake = new FakeVtex({ data, account: 'tiendademo', logRequests: false });
  const url = await fake.start(PORT).catch((err: unknown) => {
    throw new Error(`Could not serve the demo VTEX store on port ${PORT} (${(err as Error).message}); pick another with -- --port N.`);
  });

  const db = createDb(databaseUrl, 4);
  const temporalClient = await getTemporalClient();
  const deps: ConnectionsDeps & { temporalClient: typeof temporalClient } = { db, keyring: () => ring, temporal: async () => temporalClient, taskQueue: TASK_QUEUES.connectors, temporalClient };
  const stop = async (code: number) => {
    await fake.stop();
    await closeTemporal();
    await db.$client.end();
    process.exit(code);
  };
  try {
    const backfillFrom = new Date(data.orders[0]!.createdMs - DAY).toISOString();
    const r = await seedDemo(deps, { url, account: fake.account, appKey: fake.appKey, appToken: fake.appToken, backfillFrom }, demoCustomersCsv(data));
    console.log(`Demo workspace "${DEMO_TENANT}"${r.tenantCreated ? ' (created)' : ''}:`);
    console.log(`  VTEX connection ${r.vtex.created ? 'created' : 'already there'}; fake store at ${url}: ${data.orders.length} orders, ${data.customers.length} shoppers, ${data.products.length} products`);
    console.log(`  sync ${r.vtex.sync.alreadyRunning ? 'already running (joined)' : 'started'}: ${r.vtex.sync.temporalUiUrl}`);
    console.log(`  ERP customers CSV ${r.file.imported ? 'imported' : 'was imported before (not again)'} (import ${r.file.importId})`);

    // Wait for the sync and the import, showing progress.
    for (;;) {
      const [run] = (await db.$client.query<{ status: string; counts: { fetched: number } }>('select status, counts from sync_runs where workflow_run_id = $1', [r.vtex.sync.runId])).rows;
      const [imp] = (await db.$client.query<{ status: string }>('select status from imports where id = $1', [r.file.importId])).rows;
      process.stdout.write(`\r  sync ${run?.status ?? 'starting'} (${run?.counts.fetched ?? 0} records) · import ${imp?.status ?? '?'}   `);
      if (run && run.status !== 'running' && imp?.status !== 'running') break;
      await new Promise((res) => setTimeout(res, 2000));
    }
    const count = async (table: string) => (await db.$client.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [r.tenantId])).rows[0]!.n;
    console.log(`\n  now stored: ${await count('customers')} customers, ${await count('orders')} orders, ${await count('products')} products`);
    console.log(`Open ${e.PUBLIC_URL ?? `http://localhost:${e.PORT}`}/connections, /customers and /imports (workspace "${DEMO_TENANT}").`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stop(1);
    return;
  }

  const connectionId = (await db.$client.query<{ id: string }>(`select c.id from connections c join tenants t on t.id = c.tenant_id where t.slug = $1 and c.kind = 'vtex' and c.config->>'baseUrl' = $2`, [DEMO_TENANT, url])).rows[0]?.id;
  const tenantId = (await db.$client.query<{ id: string }>('select id from tenants where slug = $1', [DEMO_TENANT])).rows[0]!.id;
  // Stopped, the store is gone: pause the connection so its schedule does not fail every 15 minutes.
  const pauseAndStop = async () => {
    if (connectionId) await patchConnectionFor(tenantId, connectionId, { status: 'paused' }, deps).catch((err: unknown) => console.error('could not pause the demo connection:', (err as Error).message));
    console.log('Demo VTEX store stopped; the demo connection is paused (run `npm run demo:seed` again to resume it).');
    await stop(0);
  };
  if (flag('exit')) return pauseAndStop();
  console.log(`The fake VTEX store keeps serving here (a few new orders a minute, synced every 15 minutes or with "Sync now"). Ctrl-C stops it.`);
  const trickle = setInterval(() => {
    const now = Date.now();
    data.addOrders(1 + Math.floor(Math.random() * 3), { from: now - 60_000, to: now });
  }, 60_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      clearInterval(trickle);
      void pauseAndStop();
    });
}

main().catch((err: unknown) => {
  console.error(`npm run demo:seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
