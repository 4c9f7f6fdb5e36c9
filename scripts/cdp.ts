// `npm run cdp -- <command>`: administration from the terminal.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { reconcileSchedules } from '#app/server/connections.server.ts';
import { reconcileScoringSchedules } from '#app/server/scoring.server.ts';
import { reconcileSegmentSchedules } from '#app/server/segments.server.ts';
import { abSummary, parseArm } from '#core/experiments/ab-summary.ts';
import { UNIT_DAYS, fitClvModels, parseTransactionsCsv, type TimeUnit } from '#core/scoring/clv-fit.ts';
import { dayNumber } from '#core/scoring/summaries.ts';
import { createDb, type Db } from '#db/client.ts';
import { runMigrations } from '#db/migrate.ts';
import { rotateCredentials } from '#db/queries/credential-rotation.ts';
import { createApiKey, createTenant, createUser, getTenantBySlug } from '#db/queries/tenants.ts';
import { randomToken } from '#platform/crypto.ts';
import { startEmbeddedPostgres } from '#platform/embedded-postgres.ts';
import { env } from '#platform/env.ts';
import { keyringFrom } from '#platform/secrets.ts';
import { closeTemporal, getTemporalClient } from '#platform/temporal.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';

const usage = `Usage: npm run cdp -- <command>

  tenant create <slug> [--name "Store name"] [--country AR] [--timezone America/Argentina/Buenos_Aires] [--currency ARS]
      Creates a tenant and prints its first API key (shown once).
  apikey create <tenant-slug> [--name label]
      Prints a new API key for the tenant (shown once).
  user create <tenant-slug> <email> [--password P] [--role owner|admin|member] [--name "Full name"]
      Creates a web login; prints a generated password unless --password is given.
  reconcile-schedules
      Recreates missing Temporal sync schedules and fixes drifted ones (interval, paused) for every connection.
      The web app also does this when it starts. Uses TEMPORAL_ADDRESS (or the dev server of \`npm start\`).
  rotate-credentials
      Re-encrypts connection credentials stored under a key in CREDENTIALS_PREVIOUS_KEYS with CREDENTIALS_KEY.
      Safe to run while the app runs, and to run again. See "Credentials and key rotation" in the README.
  clv fit --transactions FILE.csv --calibration-end YYYY-MM-DD [--unit week|day]
      Fits BG/NBD and Gamma–Gamma on a CSV with the header customer_id,date,amount (ISO dates; purchases on the
      same day count as one transaction) up to the calibration end, and prints the parameters as JSON.
      Needs no database.
  stats ab --control 49/100 --variant 51/100 [--alpha 0.05]
  stats ab --metric mean --control <mean>,<sd>,<n> --variant <mean>,<sd>,<n> [--alpha 0.05]
      Prints every experiment statistic for control vs variant as JSON: fixed-horizon and sequential p-values and
      intervals (relative and absolute), Bayesian chance to win and expected loss, SRM, and for conversions the
      Beta chance to win and power. Needs no database.

Uses DATABASE_URL, or the embedded PostgreSQL of \`npm start\` (started for the command if it is not running).`;

function parseArgs(argv: string[]) {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${a} needs a value`);
      flags[a.slice(2)] = value;
      i++;
    } else positional.push(a);
  }
  return { positional, flags };
}

async function withDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const e = env();
  let url = e.DATABASE_URL ?? `postgres://nerdistan:nerdistan@127.0.0.1:${e.EMBEDDED_PG_PORT}/nerdistan`;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!e.DATABASE_URL) {
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    const running = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => {});
    if (!running) {
      const server = await startEmbeddedPostgres({ dataDir: path.join(e.dataDir, 'postgres'), port: e.EMBEDDED_PG_PORT });
      url = server.url;
      stopEmbedded = server.stop;
    }
  }
  try {
    await runMigrations(url);
    const db = createDb(url, 2);
    try {
      return await fn(db);
    } finally {
      await db.$client.end();
    }
  } finally {
    await stopEmbedded?.();
  }
}

/** CREDENTIALS_KEY, or the key \`npm start\` keeps in DATA_DIR when none is set. */
function keyring() {
  const e = env();
  const localFile = path.join(e.dataDir, 'credentials.key');
  const current = e.CREDENTIALS_KEY ?? (fs.existsSync(localFile) ? fs.readFileSync(localFile, 'utf8').trim() : undefined);
  if (!current) throw new Error(`CREDENTIALS_KEY is not set and there is no ${localFile}.`);
  return keyringFrom(current, e.CREDENTIALS_PREVIOUS_KEYS?.split(',').map((k) => k.trim()).filter(Boolean) ?? []);
}

async function requireTenant(db: Db, slug: string | undefined) {
  if (!slug) throw new Error('Give the tenant slug.');
  const t = await getTenantBySlug(db, slug);
  if (!t) throw new Error(`No tenant "${slug}".`);
  return t;
}

/** `clv fit`: the file is read here; the summaries and fits are core/scoring's. */
function clvFit(flags: Record<string, string>) {
  const file = flags.transactions;
  const calibrationEnd = flags['calibration-end'];
  const unit = (flags.unit ?? 'week') as TimeUnit;
  if (!file) throw new Error('Give --transactions FILE.csv.');
  if (!calibrationEnd) throw new Error('Give --calibration-end YYYY-MM-DD.');
  dayNumber(calibrationEnd); // rejects a malformed date before reading the file
  if (!(unit in UNIT_DAYS)) throw new Error(`--unit is ${Object.keys(UNIT_DAYS).join(' or ')}.`);
  const fit = fitClvModels(parseTransactionsCsv(fs.readFileSync(file, 'utf8')), { calibrationEnd, unit });
  for (const [name, f] of [['BG/NBD', fit.bgnbd], ['Gamma–Gamma', fit.gammaGamma]] as const) {
    if (!f.converged) console.error(`Warning: ${name} did not converge: ${f.message ?? 'unknown reason'}`);
  }
  const { r, alpha, a, b } = fit.bgnbd.params;
  const { p, q, v } = fit.gammaGamma.params;
  const out = {
    bgnbd: { r, alpha, a, b, logLikelihood: fit.bgnbd.logLikelihood },
    gammaGamma: { p, q, v, logLikelihood: fit.gammaGamma.logLikelihood },
    customers: fit.customers,
  };
  console.log(JSON.stringify(out, null, 2));
}

async function main(argv: string[]) {
  const { positional, flags } = parseArgs(argv);
  const [noun, verb, ...rest] = positional;
  const command = `${noun ?? ''} ${verb ?? ''}`.trim();
  switch (command) {
    case 'tenant create':
      return withDatabase(async (db) => {
        const t = await createTenant(db, {
          slug: rest[0] ?? '',
          name: flags.name,
          defaultCountry: flags.country,
          timezone: flags.timezone,
          currency: flags.currency,
        });
        const { key } = await createApiKey(db, t.id, 'first key');
        console.log(`Tenant ${t.slug} created (id ${t.id}).\nAPI key (shown once, store it now):\n${key}`);
      });
    case 'apikey create':
      return withDatabase(async (db) => {
        const t = await requireTenant(db, rest[0]);
        const { key } = await createApiKey(db, t.id, flags.name ?? 'cli');
        console.log(`API key for ${t.slug} (shown once):\n${key}`);
      });
    case 'user create':
      return withDatabase(async (db) => {
        const t = await requireTenant(db, rest[0]);
        if (!rest[1]) throw new Error('Give the user email.');
        const role = (flags.role ?? 'admin') as 'owner' | 'admin' | 'member';
        if (!['owner', 'admin', 'member'].includes(role)) throw new Error('--role is owner, admin or member.');
        const password = flags.password ?? randomToken(12);
        const u = await createUser(db, { tenantId: t.id, email: rest[1], password, role, name: flags.name });
        console.log(`User ${u.email} can log in to workspace ${t.slug}${flags.password ? '.' : ` with password: ${password}`}`);
      });
    case 'reconcile-schedules':
      return withDatabase(async (db) => {
        try {
          const r = await reconcileSchedules({ db, keyring, temporal: getTemporalClient, taskQueue: TASK_QUEUES.connectors });
          console.log(`Schedules: ${r.checked} syncable connections, ${r.created} created, ${r.updated} updated, ${r.unchanged} already right.`);
          for (const f of r.failed) console.error(`  ${f.connectionId}: ${f.reason}`);
          const s = await reconcileScoringSchedules({ db, temporal: getTemporalClient, taskQueue: TASK_QUEUES.scoring });
          console.log(`Nightly scoring: ${s.checked} tenants, ${s.created} schedules created, ${s.updated} updated.`);
          for (const f of s.failed) console.error(`  tenant ${f.tenantId}: ${f.reason}`);
          const g = await reconcileSegmentSchedules({ db, temporal: getTemporalClient, taskQueue: TASK_QUEUES.journeys });
          console.log(`Hourly segments: ${g.checked} tenants, ${g.created} schedules created, ${g.updated} updated.`);
          for (const f of g.failed) console.error(`  tenant ${f.tenantId}: ${f.reason}`);
          if (r.failed.length || s.failed.length || g.failed.length) process.exitCode = 1;
        } finally {
          await closeTemporal();
        }
      });
    case 'rotate-credentials':
      return withDatabase(async (db) => {
        const ring = keyring();
        const r = await rotateCredentials(db.$client, ring);
        console.log(`Credentials: ${r.checked} connections, ${r.rotated} re-encrypted with key ${ring.current.id}, ${r.skipped} changed meanwhile (already current).`);
        for (const f of r.failed) console.error(`  ${f.connectionId}: ${f.reason}`);
        const c = r.channelSettings;
        console.log(`Channel secrets: ${c.checked} settings, ${c.rotated} re-encrypted, ${c.skipped} changed meanwhile (already current).`);
        for (const f of c.failed) console.error(`  tenant ${f.tenantId} ${f.channel}: ${f.reason}`);
        if (r.failed.length || c.failed.length) {
          console.error('Some credentials could not be opened: keep their key in CREDENTIALS_PREVIOUS_KEYS, or re-enter them in the Connections or channel settings page.');
          process.exitCode = 1;
        } else console.log('Every envelope is under the current key: the previous keys can be removed from CREDENTIALS_PREVIOUS_KEYS.');
      });
    case 'clv fit':
      return clvFit(flags);
    case 'stats ab': {
      const metric = flags.metric === 'mean' ? 'mean' : 'proportion';
      if (flags.metric && !['mean', 'proportion'].includes(flags.metric)) throw new Error('--metric is mean or proportion.');
      if (!flags.control || !flags.variant) throw new Error('Give --control and --variant.');
      const alpha = flags.alpha ? Number(flags.alpha) : 0.05;
      if (!(alpha > 0 && alpha < 1)) throw new Error('--alpha is between 0 and 1.');
      console.log(JSON.stringify(abSummary(parseArm(flags.control, metric), parseArm(flags.variant, metric), { alpha }), null, 2));
      return;
    }
    default:
      console.error(command ? `Unknown command "${command}".\n\n${usage}` : usage);
      process.exitCode = command ? 2 : 0;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
