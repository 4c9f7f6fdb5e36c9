// Every VTEX activity, built over real or test dependencies.
import type { VtexDeps } from './connection.ts';
import { createVtexSyncActivities } from './sync.activities.ts';

export { checkVtexCredentials, type CredentialsCheck } from './client.ts';

export function createVtexActivities(deps: VtexDeps) {
  return {
    ...createVtexSyncActivities(deps),
  };
}

export type VtexActivities = ReturnType<typeof createVtexActivities>;
