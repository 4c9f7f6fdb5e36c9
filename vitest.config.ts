import { defineConfig } from 'vitest/config';

// One run, five projects. Projects that need infrastructure share it through tests/setup/infra.ts:
// one embedded PostgreSQL, one Temporal dev server and one running app for the whole run.
// forks, not threads: the Temporal SDK's native core-bridge breaks under worker threads.
export default defineConfig({
  test: {
    pool: 'forks',
    // A fixed key for connection credentials in tests (the app under test inherits it).
    env: { CREDENTIALS_KEY: '0'.repeat(63) + '1' },
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // UI and eventual-consistency polls: generous, since a 2-core CI machine runs every project at once.
    expect: { poll: { timeout: 15_000 } },
    projects: [
      { extends: true, test: { name: 'unit', include: ['core/**/*.test.ts', 'platform/**/*.test.ts', 'activities/**/*.test.ts', 'tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'db', include: ['tests/db/**/*.test.ts'], globalSetup: ['tests/setup/global-db.ts'] } },
      {
        extends: true,
        test: {
          name: 'workflows',
          include: ['tests/workflows/**/*.test.ts'],
          globalSetup: ['tests/setup/global-temporal.ts'],
          setupFiles: ['tests/setup/quiet-temporal.ts'],
          testTimeout: 60_000,
        },
      },
      { extends: true, test: { name: 'api', include: ['tests/api/**/*.test.ts'], globalSetup: ['tests/setup/global-app.ts'] } },
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/setup/global-app.ts'], testTimeout: 90_000, fileParallelism: false },
      },
    ],
  },
});
