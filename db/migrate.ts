import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { createDb } from './client.ts';

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// Any fixed number: every process that migrates takes the same advisory lock, so a web and a worker
// starting together cannot apply the same migration twice.
const MIGRATION_LOCK = 727_274_001;

/** Applies the committed drizzle-kit SQL that is not applied yet. Safe to run concurrently and repeatedly. */
export async function runMigrations(databaseUrl: string): Promise<{ applied: number }> {
  // Two connections: one checked out for the whole run to hold the session-level advisory lock, one for
  // the migrator. (pg.Pool closes a connection whose query fails, e.g. the count below on a fresh
  // database; if that connection held the lock, the lock would silently go with it.)
  const db = createDb(databaseUrl, 2);
  const client = db.$client;
  const lock = await client.connect().catch(async (err: unknown) => {
    await client.end();
    throw err;
  });
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const count = async () => {
      const r = await client
        .query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations')
        .catch(() => ({ rows: [{ n: 0 }] }));
      return r.rows[0]?.n ?? 0;
    };
    const before = await count();
    await migrate(db, { migrationsFolder });
    return { applied: (await count()) - before };
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    lock.release();
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { env } = await import('#platform/env.ts');
  const url = env().DATABASE_URL;
  if (!url) {
    console.error('npm run migrate needs DATABASE_URL (e.g. postgres://user:pass@host:5432/nerdistan).');
    process.exit(1);
  }
  const { applied } = await runMigrations(url);
  console.log(applied ? `Applied ${applied} migration(s).` : 'Database is up to date.');
}
