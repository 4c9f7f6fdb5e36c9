// A throwaway embedded PostgreSQL for one bench run: migrated, and stopped with its files removed at the end
// or on Ctrl-C (a runaway query would otherwise keep both cores busy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '#db/client.ts';
import { runMigrations } from '#db/migrate.ts';
import { startEmbeddedPostgres } from '#platform/embedded-postgres.ts';
import { freePort } from '#platform/stack.ts';

export interface BenchDatabase {
  url: string;
  db: Db;
  stop(): Promise<void>;
}

/** `keepDir`: a directory whose database outlives the run (reused when it already holds one); else a throwaway one. */
export async function benchDatabase(name: string, poolSize = 4, keepDir?: string): Promise<BenchDatabase> {
  const dataDir = keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `nerdistan-bench-${name}-`));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  const drop = () => {
    if (!keepDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: await freePort() });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void pg.stop().finally(() => {
        drop();
        process.exit(130);
      });
    });
  const db = createDb(pg.url, poolSize);
  await runMigrations(pg.url);
  return {
    url: pg.url,
    db,
    stop: async () => {
      await db.$client.end();
      await pg.stop();
      drop();
    },
  };
}
