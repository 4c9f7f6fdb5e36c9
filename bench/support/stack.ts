// The real parts a workflow bench needs, started in its scratch directory: embedded PostgreSQL (migrated), a Temporal
// dev server, a database pool and a client connection. Each registers its stop with the scratch's teardown.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '#db/client.ts';
import { runMigrations } from '#db/migrate.ts';
import { startEmbeddedPostgres } from '#platform/embedded-postgres.ts';
import { freePort } from '#platform/stack.ts';
import { findTemporalBinary } from '#platform/temporal-binary.ts';
import { startTemporalDevServer } from '#platform/temporal-dev-server.ts';
import type { BenchScratch } from './scratch.ts';

export interface BenchStack {
  db: Db;
  client: Client;
  /** host:port of the Temporal server, for the bench's worker connection. */
  temporalAddress: string;
}

export async function startBenchStack({ dataDir, onStop }: Pick<BenchScratch, 'dataDir' | 'onStop'>, o: { dbPoolSize: number }): Promise<BenchStack> {
  const [pg, temporalBin] = await Promise.all([
    freePort().then((port) => startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port })),
    findTemporalBinary({ cliPath: process.env.TEMPORAL_CLI_PATH, searchPath: process.env.PATH ?? '', dataDir: path.resolve('.data'), allowDownload: true }),
  ]);
  onStop(() => pg.stop());
  const temporal = await startTemporalDevServer({ binary: temporalBin.path, port: await freePort(), namespace: 'default', logFile: path.join(dataDir, 'temporal.log') });
  onStop(() => temporal.stop());
  await runMigrations(pg.url);
  const db = createDb(pg.url, o.dbPoolSize);
  onStop(() => db.$client.end());
  const connection = await Connection.connect({ address: temporal.address });
  onStop(() => connection.close());
  return { db, client: new Client({ connection }), temporalAddress: temporal.address };
}
