// `npm run web`: the web app alone (production: PostgreSQL and Temporal are external).
import { reconcileSchedules } from '#app/server/connections.server.ts';
import { reconcileScoringSchedules } from '#app/server/scoring.server.ts';
import { reconcileSegmentSchedules } from '#app/server/segments.server.ts';
import { closeDb } from '#db/client.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { closeTemporal } from '#platform/temporal.ts';
import { startWebServer } from '#platform/web-server.ts';

const e = env();
const server = await startWebServer({ host: e.HOST, port: e.PORT, mode: e.NODE_ENV });
// Temporal may have lost sync schedules (a dev server without persistence, a new cluster): put them back.
// This module graph is not the web build's (which has its own Temporal connection), so close ours afterwards.
reconcileSchedules()
  .then(
    (r) => (r.created || r.updated || r.failed.length ? logger('web').warn({ ...r }, 'sync schedules reconciled') : logger('web').info({ ...r }, 'sync schedules in place')),
    (err: unknown) => logger('web').warn({ err }, 'could not reconcile sync schedules; run `npm run cdp -- reconcile-schedules` once Temporal is up'),
  )
  // Every tenant's nightly scoring schedule (02:00 in its time zone unless its settings say otherwise).
  .then(() => reconcileScoringSchedules())
  .then(
    (r) => (r.created || r.failed.length ? logger('web').warn({ ...r }, 'scoring schedules reconciled') : logger('web').info({ ...r }, 'scoring schedules in place')),
    (err: unknown) => logger('web').warn({ err }, 'could not reconcile scoring schedules; run `npm run cdp -- reconcile-schedules` once Temporal is up'),
  )
  // Every tenant's hourly recompute of segments with relative time windows.
  .then(() => reconcileSegmentSchedules())
  .then(
    (r) => (r.created || r.failed.length ? logger('web').warn({ ...r }, 'segment schedules reconciled') : logger('web').info({ ...r }, 'segment schedules in place')),
    (err: unknown) => logger('web').warn({ err }, 'could not reconcile segment schedules; run `npm run cdp -- reconcile-schedules` once Temporal is up'),
  )
  .finally(() => closeTemporal());
const stop = async () => {
  await server.close();
  await Promise.allSettled([closeDb(), closeTemporal()]);
  logger('web').info('web stopped');
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
