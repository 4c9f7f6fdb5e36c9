import type { TestProject } from 'vitest/node';
import { postgres, retain } from './infra.ts';

export default async function setup(project: TestProject) {
  const teardown = retain();
  project.provide('databaseUrl', (await postgres()).url);
  return teardown;
}
