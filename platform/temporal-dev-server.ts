// Runs `temporal server start-dev` as a child process when TEMPORAL_ADDRESS is not set.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { productSearchAttributes } from '#workflows/shared/search-attributes.ts';
import { prepareNamespace } from './temporal.ts';

export interface DevServerOptions {
  binary: string;
  /** SQLite file; undefined keeps state in memory (tests). */
  dbFile?: string | undefined;
  port: number;
  /** undefined runs headless. */
  uiPort?: number | undefined;
  namespace: string;
  logFile?: string | undefined;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startTemporalDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  const address = `127.0.0.1:${opts.port}`;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    // WAL and no fsync per write: the dev server's single SQLite connection is its bottleneck.
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
    ...productSearchAttributes.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]),
  ];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');

  const out = opts.logFile ? fs.openSync(opts.logFile, 'a') : 'ignore';
  // Own process group, so Ctrl-C reaches the launcher first and Temporal stops after the worker.
  const child = spawn(opts.binary, args, { stdio: ['ignore', out, out], detached: true });
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };

  // First start with a new SQLite file creates the schema; give it well over the SDK's fixed 5 s.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`temporal server start-dev ${exited}${opts.logFile ? `; see ${opts.logFile}` : ''}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await prepareNamespace(conn, opts.namespace);
      } finally {
        await conn.close();
      }
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Temporal dev server did not become ready on ${address} within 60 s: ${String(err)}`);
      }
      await sleep(250);
    }
  }
  return { address, uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined, process: child, stop };
}
