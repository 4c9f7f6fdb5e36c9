// `npm run web`: the web app alone (production: PostgreSQL and Temporal are external).
import { closeDb } from '#db/client.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { closeTemporal } from '#platform/temporal.ts';
import { startWebServer } from '#platform/web-server.ts';

const e = env();
const server = await startWebServer({ host: e.HOST, port: e.PORT, mode: e.NODE_ENV });
const stop = async () => {
  await server.close();
  await Promise.allSettled([closeDb(), closeTemporal()]);
  logger('web').info('web stopped');
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
