// Worker process: polls every task queue (or WORKER_TASK_QUEUES) and runs workflows and activities.
import fs from 'node:fs';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { createActivities } from '#activities/index.ts';
import { closeEmailTransports } from '#activities/messaging/transport.ts';
import { closeDb, getDb } from '#db/client.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { temporalAddress } from '#platform/temporal.ts';
import { allTaskQueues, type TaskQueue } from '#workflows/shared/task-queues.ts';
import { workflowBundlePath, workflowsPath } from './bundle-workflows.ts';

const log = logger('worker');

function selectedQueues(): TaskQueue[] {
  const wanted = env().WORKER_TASK_QUEUES?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted?.length) return allTaskQueues;
  const unknown = wanted.filter((q) => !allTaskQueues.includes(q as TaskQueue));
  if (unknown.length) throw new Error(`WORKER_TASK_QUEUES names unknown queues: ${unknown.join(', ')} (known: ${allTaskQueues.join(', ')})`);
  return wanted as TaskQueue[];
}

export async function runWorker(signal?: AbortSignal): Promise<void> {
  const e = env();
  Runtime.install({
    logger: {
      log: (level, message, meta) => log[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info')]({ ...meta }, message),
      trace: (m, meta) => log.trace(meta, m),
      debug: (m, meta) => log.debug(meta, m),
      info: (m, meta) => log.info(meta, m),
      warn: (m, meta) => log.warn(meta, m),
      error: (m, meta) => log.error(meta, m),
    },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  const activities = createActivities({ db: getDb() });
  // Production uses the prebuilt bundle (npm run build); development bundles at start.
  const bundle = fs.existsSync(workflowBundlePath) && e.NODE_ENV === 'production' ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath };
  const queues = selectedQueues();
  const workers = await Promise.all(
    queues.map((taskQueue) =>
      Worker.create({ connection, namespace: e.TEMPORAL_NAMESPACE, taskQueue, activities, ...bundle, shutdownGraceTime: '10s' }),
    ),
  );
  log.info({ queues, bundle: 'workflowBundle' in bundle ? 'prebuilt' : 'workflowsPath' }, 'worker polling');
  const stop = () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
  signal?.addEventListener('abort', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await connection.close();
    closeEmailTransports();
    await closeDb();
    log.info('worker stopped');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorker().catch((err: unknown) => {
    log.error({ err }, 'worker failed');
    process.exit(1);
  });
}
