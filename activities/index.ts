import type { Db } from '#db/client.ts';
import type { Keyring } from '#platform/secrets.ts';
import { createMercadoLibreActivities } from './connectors/mercadolibre/mercadolibre.activities.ts';
import { createSyncRunActivities } from './connectors/sync-runs.activities.ts';
import { createVtexActivities } from './connectors/vtex/index.ts';
import { createExperimentActivities } from './experiments/experiments.activities.ts';
import { createIdentityActivities } from './identity/identity.activities.ts';
import { createIngestActivities } from './ingest/ingest.activities.ts';
import { createJourneyActivities } from './journeys/index.ts';
import { createImportActivities } from './imports/imports.activities.ts';
import { createMessagingActivities } from './messaging/messaging.activities.ts';
import { createScoringActivities } from './scoring/scoring.activities.ts';
import { createSegmentActivities } from './segments/segments.activities.ts';

export interface ActivityDeps {
  db: Db;
  /** Opens connection credentials; defaults to the process's keyring (CREDENTIALS_KEY). */
  keyring?: Keyring;
}

/** Every activity of the product, built over real or test dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIngestActivities(deps),
    ...createIdentityActivities(deps),
    ...createSyncRunActivities(deps),
    ...createMercadoLibreActivities(deps),
    ...createVtexActivities(deps),
    ...createImportActivities(deps),
    ...createScoringActivities(deps),
    ...createMessagingActivities(deps),
    ...createJourneyActivities(deps),
    ...createSegmentActivities(deps),
    ...createExperimentActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
