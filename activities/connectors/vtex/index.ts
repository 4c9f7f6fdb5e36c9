// Every VTEX activity, built over real or test dependencies.
import type { VtexDeps } from './connection.ts';
import { createVtexStatusActivities } from './status.activities.ts';
import { createVtexSyncActivities } from './sync.activities.ts';
import { createVtexWriteBackActivities } from './write-back.activities.ts';

export { checkVtexCredentials, type CredentialsCheck } from './client.ts';
export { HOOK_SECRET_HEADER, vtexHookUrl } from './status.activities.ts';

export function createVtexActivities(deps: VtexDeps) {
  return {
    ...createVtexSyncActivities(deps),
    ...createVtexStatusActivities(deps),
    ...createVtexWriteBackActivities(deps),
  };
}

export type VtexActivities = ReturnType<typeof createVtexActivities>;
