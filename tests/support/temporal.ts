// Test access to the run's shared Temporal dev server, and an in-process worker with real activities.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { Worker, NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '#activities/index.ts';
import type { Db } from '#db/client.ts';
import { workflowsPath } from '#workers/bundle-workflows.ts';

export async function temporalClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** A worker on a task queue of its own, so tests never pick up each other's (or the app's) tasks. */
export async function testWorker(db: Db, overrides: Partial<WorkerOptions> = {}) {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath,
    activities: createActivities({ db }),
    ...overrides,
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T | undefined | false | null>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
