import type { TestProject } from 'vitest/node';
import { app, appLogDir, postgres, retain, temporal } from './infra.ts';

export default async function setup(project: TestProject) {
  const teardown = retain();
  const [pgServer, t, stack] = await Promise.all([postgres(), temporal(), app()]);
  project.provide('databaseUrl', pgServer.url);
  project.provide('temporalAddress', t.address);
  project.provide('webUrl', stack.webUrl);
  project.provide('appLogDir', appLogDir());
  return teardown;
}
