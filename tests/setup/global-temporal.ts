import type { TestProject } from 'vitest/node';
import { postgres, retain, temporal } from './infra.ts';

export default async function setup(project: TestProject) {
  const teardown = retain();
  const [pgServer, t] = await Promise.all([postgres(), temporal()]);
  project.provide('databaseUrl', pgServer.url);
  project.provide('temporalAddress', t.address);
  return teardown;
}
