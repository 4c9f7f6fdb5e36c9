// Brings the whole product up on one machine: PostgreSQL, migrations, Temporal, worker and web.
// Used by `npm start` and by the test harness, so tests exercise the same start-up path users run.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runMigrations } from '#db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { childEnv, type Env } from './env.ts';
import { ensureLocalCredentialsKey } from './secrets.ts';
import { findTemporalBinary, temporalVersion } from './temporal-binary.ts';
import { startTemporalDevServer, type RunningDevServer } from './temporal-dev-server.ts';
import { Connection } from '@temporalio/client';
import { prepareNamespace } from './temporal.ts';

export interface StackOptions {
  env: Env;
  /** Ports; 0 picks a free one. */
  webPort: number;
  pgPort: number;
  temporalPort: number;
  /** undefined runs the dev server headless. */
  temporalUiPort?: number | undefined;
  /** Keep Temporal state in DATA_DIR/temporal.db (npm start) or in memory (tests). */
  persistTemporal: boolean;
  /** Child processes' output: inherit the terminal, or append to files under DATA_DIR/logs. */
  childOutput: 'inherit' | 'files';
  progress: (line: string) => void;
}

export interface RunningStack {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string | undefined;
  webUrl: string;
  /** Resolves with a reason if the worker or web process dies on its own. */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const maskPassword = (url: string) => url.replace(/(\/\/[^:/]+:)[^@]+@/, '$1****@');

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const { env, progress } = opts;
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    stoppers.length = 0;
  };
  try {
    fs.mkdirSync(env.dataDir, { recursive: true });

    // 1. PostgreSQL
    let databaseUrl = env.DATABASE_URL;
    if (databaseUrl) progress(`PostgreSQL: using DATABASE_URL (${maskPassword(databaseUrl)})`);
    else {
      const port = opts.pgPort || (await freePort());
      const pgDir = path.join(env.dataDir, 'postgres');
      const shown = pgDir.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), pgDir) : pgDir;
      progress(`PostgreSQL: starting embedded server on :${port} (data in ${shown})`);
      const pg: RunningPostgres = await startEmbeddedPostgres({ dataDir: path.join(env.dataDir, 'postgres'), port });
      stoppers.push(() => pg.stop());
      databaseUrl = pg.url;
    }

    // 2. Migrations
    const { applied } = await runMigrations(databaseUrl);
    progress(applied ? `Migrations: applied ${applied}` : 'Migrations: database is up to date');

    // 3. Temporal
    let temporalAddress = env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined = env.TEMPORAL_UI_URL;
    if (temporalAddress) {
      progress(`Temporal: using TEMPORAL_ADDRESS=${temporalAddress}`);
      const conn = await Connection.connect({ address: temporalAddress, connectTimeout: '10s' });
      try {
        await prepareNamespace(conn, env.TEMPORAL_NAMESPACE);
      } finally {
        await conn.close();
      }
    } else {
      const bin = await findTemporalBinary({ cliPath: env.TEMPORAL_CLI_PATH, searchPath: env.PATH, dataDir: env.dataDir });
      const port = opts.temporalPort || (await freePort());
      const logDir = path.join(env.dataDir, 'logs');
      fs.mkdirSync(logDir, { recursive: true });
      progress(`Temporal: starting dev server on :${port} (${temporalVersion(bin.path) ?? bin.path}, found via ${bin.from})`);
      const dev: RunningDevServer = await startTemporalDevServer({
        binary: bin.path,
        dbFile: opts.persistTemporal ? path.join(env.dataDir, 'temporal.db') : undefined,
        port,
        uiPort: opts.temporalUiPort,
        namespace: env.TEMPORAL_NAMESPACE,
        logFile: path.join(logDir, 'temporal.log'),
      });
      stoppers.push(() => dev.stop());
      temporalAddress = dev.address;
      temporalUiUrl = dev.uiUrl;
    }
    progress(`Temporal: namespace "${env.TEMPORAL_NAMESPACE}" ready (retention ≥ 7 days, search attributes TenantId and CustomerId)`);

    // 4. Worker and web, as separate processes so each has its own core and can be restarted alone.
    const webPort = opts.webPort || (await freePort());
    const childVars = childEnv({
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_UI_URL: temporalUiUrl ?? env.temporalUiUrl,
      CREDENTIALS_KEY: env.CREDENTIALS_KEY ?? ensureLocalCredentialsKey(env.dataDir),
      PORT: String(webPort),
      // The launcher prints progress itself; children speak up for warnings unless asked for more.
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    });
    const spawnChild = (name: string, script: string) => {
      fs.mkdirSync(path.join(env.dataDir, 'logs'), { recursive: true });
      const out = opts.childOutput === 'files' ? fs.openSync(path.join(env.dataDir, 'logs', `${name}.log`), 'a') : 'inherit';
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script)], {
        cwd: root,
        env: childVars,
        stdio: ['ignore', out, out],
        // Own process group: Ctrl-C reaches the launcher only, which stops children in order.
        detached: true,
      });
      stoppers.push(() => stopChild(child));
      return child;
    };
    progress('Worker: starting (all task queues)');
    const worker = spawnChild('worker', 'workers/main.ts');
    progress(`Web: starting on :${webPort}`);
    const web = spawnChild('web', 'scripts/web.ts');
    const webUrl = `http://localhost:${webPort}`;
    await waitForReady(webUrl, [worker, web]);
    progress('Web and worker: ready (/readyz reports PostgreSQL, Temporal and worker polling)');

    let stopping = false;
    const crashed = new Promise<string>((resolve) => {
      for (const [name, child] of [['worker', worker], ['web', web]] as const)
        child.once('exit', (code, signal) => !stopping && resolve(`${name} exited with ${signal ?? code}`));
    });
    const stop = async () => {
      stopping = true;
      await stopAll();
    };
    return { databaseUrl, temporalAddress, temporalUiUrl, webUrl, crashed, stop };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Polls /readyz until it answers 200; fails fast if a child exits. */
async function waitForReady(webUrl: string, children: ChildProcess[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead) throw new Error(`${dead.spawnargs.at(-1)} exited with ${dead.signalCode ?? dead.exitCode} during start-up`);
    try {
      const res = await fetch(`${webUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return;
      last = await res.text();
    } catch (err) {
      last = String(err);
    }
    await sleep(300);
  }
  throw new Error(`The app did not become ready within ${timeoutMs / 1000} s. Last /readyz: ${last}`);
}
