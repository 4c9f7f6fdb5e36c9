import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { env } from '#platform/env.ts';
import * as schema from './schema/index.ts';

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

// bigint (int8) columns hold money in minor units and counts; they fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

let pool: pg.Pool | undefined;
let db: Db | undefined;

export function createDb(connectionString: string, max = 10): Db {
  const p = new pg.Pool({ connectionString, max, application_name: 'nerdistan-cdp' });
  // An idle connection dropped by the server (restart, Ctrl-C reaching PostgreSQL first) must not crash
  // the process; the pool discards it and the next query opens a new one.
  p.on('error', () => {});
  return drizzle({ client: p, schema, casing: 'snake_case' }) as Db;
}

/** The process-wide database handle, from DATABASE_URL. */
export function getDb(): Db {
  if (!db) {
    const e = env();
    if (!e.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it when it runs the embedded PostgreSQL).');
    db = createDb(e.DATABASE_URL, e.DATABASE_POOL_SIZE);
    pool = db.$client;
  }
  return db;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
  db = undefined;
}

export { schema };
