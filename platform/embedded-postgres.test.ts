import { describe, expect, it } from 'vitest';
import { loadEmbeddedPostgres } from './embedded-postgres.ts';

describe('loadEmbeddedPostgres', () => {
  it('leaves no exit or signal handler of its own behind (they would override the exit code and our shutdown)', async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit', 'message'] as const;
    const before = events.map((e) => process.listenerCount(e));
    await loadEmbeddedPostgres();
    expect(events.map((e) => process.listenerCount(e))).toEqual(before);
  });
});
