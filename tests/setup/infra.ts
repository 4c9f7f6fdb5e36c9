// Real infrastructure for the test run, started once and shared by every vitest project:
// embedded PostgreSQL, a Temporal dev server, and (for api/e2e) the app's web and worker processes.
// Projects load their globalSetup module separately, so the singletons live on globalThis.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '#db/migrate.ts';
import { startEmbeddedPostgres } from '#platform/embedded-postgres.ts';
import { parseEnv } from '#platform/env.ts';
import { freePort, startStack, type RunningStack } from '#platform/stack.ts';
import { findTemporalBinary } from '#platform/temporal-binary.ts';
import { startTemporalDevServer } from '#platform/temporal-dev-server.ts';
import { ensureWebBuild } from '#platform/web-build.ts';

export const TEMPLATE_DB = 'nerdistan_template';

interface Infra {
  dataDir: string;
  postgres?: Promise<{ url: string; stop(): Promise<void> }>;
  temporal?: Promise<{ address: string; stop(): Promise<void> }>;
  app?: Promise<RunningStack>;
  users: number;
}

const g = globalThis as unknown as { __nerdistanInfra?: Infra };

function infra(): Infra {
  if (!g.__nerdistanInfra) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nerdistan-test-'));
    // Run as root, PostgreSQL runs as its own user (createPostgresUser) and must be able to enter this dir.
    fs.chmodSync(dataDir, 0o755);
    g.__nerdistanInfra = { dataDir, users: 0 };
  }
  return g.__nerdistanInfra;
}

const hostEnv = () => parseEnv(process.env);

/** PostgreSQL: DATABASE_URL if the developer set one, else an embedded server in a temp dir. Migrates a template database. */
export function postgres() {
  const i = infra();
  i.postgres ??= (async () => {
    const external = hostEnv().DATABASE_URL;
    const server = external
      ? { url: external, stop: async () => {} }
      : await startEmbeddedPostgres({ dataDir: path.join(i.dataDir, 'postgres'), port: await freePort(), settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${TEMPLATE_DB}`);
      await admin.query(`create database ${TEMPLATE_DB}`);
    } finally {
      await admin.end();
    }
    await runMigrations(withDatabase(server.url, TEMPLATE_DB));
    return server;
  })();
  return i.postgres;
}

/** A Temporal dev server (in memory) on a free port, from the binary `npm start` would use. */
export function temporal() {
  const i = infra();
  i.temporal ??= (async () => {
    const e = hostEnv();
    if (e.TEMPORAL_ADDRESS) return { address: e.TEMPORAL_ADDRESS, stop: async () => {} };
    const bin = await findTemporalBinary({ cliPath: e.TEMPORAL_CLI_PATH, searchPath: e.PATH, dataDir: path.resolve('.data'), allowDownload: true });
    return startTemporalDevServer({
      binary: bin.path,
      port: await freePort(),
      namespace: 'default',
      logFile: path.join(i.dataDir, 'temporal.log'),
    });
  })();
  return i.temporal;
}

/** The app itself (web + worker processes) against the shared PostgreSQL and Temporal. */
export function app() {
  const i = infra();
  i.app ??= (async () => {
    ensureWebBuild();
    const [pgServer, t] = await Promise.all([postgres(), temporal()]);
    const e = parseEnv({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATA_DIR: path.join(i.dataDir, 'app'),
      DATABASE_URL: pgServer.url,
      TEMPORAL_ADDRESS: t.address,
      // Same key as vitest.config.ts gives test processes, so in-process activities open what the app stored.
      CREDENTIALS_KEY: process.env.CREDENTIALS_KEY ?? '0'.repeat(63) + '1',
    });
    return startStack({ env: e, webPort: 0, pgPort: 0, temporalPort: 0, persistTemporal: false, childOutput: 'files', progress: () => {} });
  })();
  return i.app;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Each globalSetup takes a reference; the last teardown stops everything. */
export function retain(): () => Promise<void> {
  const i = infra();
  i.users++;
  return async () => {
    if (--i.users > 0) return;
    const stops = [i.app, i.temporal, i.postgres].map(async (p) => (await p?.catch(() => undefined))?.stop());
    for (const s of stops) await s.catch(() => {});
    if (!process.env.KEEP_TEST_DATA) fs.rmSync(i.dataDir, { recursive: true, force: true });
    else console.log(`test data kept in ${i.dataDir}`);
    g.__nerdistanInfra = undefined;
  };
}

export const appLogDir = () => path.join(infra().dataDir, 'app', 'logs');
