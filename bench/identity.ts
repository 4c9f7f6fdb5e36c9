// bench:identity — resolve 1,000,000 source profiles (≈20% duplicates) from scratch, then an incremental
// batch of 10,000, against real PostgreSQL. Baseline in the same run: the time to read the same profiles back
// (one SELECT of every row), the floor any resolution must pay.
// Usage: npm run bench:identity [-- --profiles 1000000 --incremental 10000]
import os from 'node:os';
import { resolvePendingIdentities } from '#db/queries/identity.ts';
import { upsertProfiles } from '#db/queries/ingest.ts';
import { createTenant } from '#db/queries/tenants.ts';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import { makePeopleGenerator } from './support/people.ts';
import { benchDatabase } from './support/database.ts';
import { trackPeakRss } from './support/rss.ts';
import { saveBenchResult } from './support/results.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TOTAL = arg('profiles', 1_000_000);
const INCREMENTAL = arg('incremental', 10_000);
const BATCH = arg('batch', 5000);

async function main() {
  const rss = trackPeakRss();
  const { db, stop } = await benchDatabase('id');
  try {
    const tenant = await createTenant(db, { slug: 'bench' });
    const gen = makePeopleGenerator(7)(TOTAL + INCREMENTAL);
    const load = async (n: number) => {
      const bySource = new Map<string, ProfileRecord[]>();
      const flush = async (source: string) => {
        const rows = bySource.get(source) ?? [];
        if (rows.length) await upsertProfiles(db.$client, tenant.id, source, rows);
        bySource.set(source, []);
      };
      for (let i = 0; i < n; i++) {
        const { value } = gen.next();
        if (!value) break;
        const list = bySource.get(value.source) ?? [];
        list.push(value.record);
        bySource.set(value.source, list);
        if (list.length === 1000) await flush(value.source);
      }
      for (const s of bySource.keys()) await flush(s);
    };
    console.log(`bench:identity: ${TOTAL.toLocaleString('en')} profiles from scratch, then ${INCREMENTAL.toLocaleString('en')} incremental, ${os.cpus().length} cores`);
    let t = performance.now();
    await load(TOTAL);
    console.log(`  loaded ${TOTAL.toLocaleString('en')} profiles in ${((performance.now() - t) / 1000).toFixed(1)} s (not timed below)`);
    await db.$client.query('vacuum analyze source_profiles');

    t = performance.now();
    const all = await db.$client.query('select * from source_profiles where tenant_id = $1', [tenant.id]);
    const baselineSeconds = (performance.now() - t) / 1000;
    console.log(`  baseline: read all ${all.rowCount?.toLocaleString('en')} profiles back in ${baselineSeconds.toFixed(2)} s`);

    const resolveAll = async () => {
      const totals = { profiles: 0, customersCreated: 0, customersMerged: 0, profilesLinked: 0, reviewsOpened: 0 };
      const start = performance.now();
      for (let batch = 1; ; batch++) {
        const r = await resolvePendingIdentities(db, tenant.id, BATCH);
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
        if (r.profiles < BATCH) return totals;
        // Progress on long runs, so a run cut short on a busy machine still tells its rate.
        if (batch % 40 === 0) console.log(`    … ${totals.profiles.toLocaleString('en')} resolved in ${((performance.now() - start) / 1000).toFixed(0)} s (load ${os.loadavg()[0]!.toFixed(1)})`);
      }
    };
    t = performance.now();
    const full = await resolveAll();
    const fullSeconds = (performance.now() - t) / 1000;
    console.log(`  full resolution: ${fullSeconds.toFixed(1)} s  ${JSON.stringify(full)}`);

    await load(INCREMENTAL);
    t = performance.now();
    const inc = await resolveAll();
    const incSeconds = (performance.now() - t) / 1000;
    console.log(`  incremental batch: ${incSeconds.toFixed(2)} s  ${JSON.stringify(inc)}`);
    const customers = (await db.$client.query<{ n: number }>('select count(*)::int as n from customers where tenant_id = $1', [tenant.id])).rows[0]!.n;
    const memory = rss.stop();
    const result = {
      bench: 'identity',
      profiles: TOTAL,
      incremental: INCREMENTAL,
      batch: BATCH,
      fullSeconds: +fullSeconds.toFixed(1),
      incrementalSeconds: +incSeconds.toFixed(2),
      baselineReadSeconds: +baselineSeconds.toFixed(2),
      ratioToBaseline: +(fullSeconds / baselineSeconds).toFixed(1),
      customers,
      full,
      incrementalCounts: inc,
      targets: { fullSeconds: 60, incrementalSeconds: 2 },
      ...memory,
    };
    console.log(`  customers: ${customers.toLocaleString('en')}; full ${result.fullSeconds} s (target ≤ 60), incremental ${result.incrementalSeconds} s (target ≤ 2), ${result.ratioToBaseline}× the read-back baseline`);
    console.log(`  peak memory (PSS, all processes): ${memory.peakTotalMb} MB ${JSON.stringify(memory.peakByProcessMb)}`);
    saveBenchResult('identity', result);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
