import type { Db } from '#db/client.ts';
import { createIdentityActivities } from './identity/identity.activities.ts';
import { createIngestActivities } from './ingest/ingest.activities.ts';

export interface ActivityDeps {
  db: Db;
}

/** Every activity of the product, built over real or test dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIngestActivities(deps),
    ...createIdentityActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
