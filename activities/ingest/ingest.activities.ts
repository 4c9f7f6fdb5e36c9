import type { Db } from '#db/client.ts';
import { foldIdentifyEvents, resolvePendingProfiles } from '#db/queries/ingest.ts';

export interface IngestDeps {
  db: Db;
}

export function createIngestActivities({ db }: IngestDeps) {
  return {
    /** Returns how many identify events were folded into profiles. */
    async foldIdentifyEvents(input: { tenantId: string; limit: number }): Promise<number> {
      return foldIdentifyEvents(db, input.tenantId, input.limit);
    },
    async resolvePendingProfiles(input: { tenantId: string; limit: number }) {
      const r = await resolvePendingProfiles(db, input.tenantId, input.limit);
      return { profiles: r.profiles, customersCreated: r.customersCreated, customersUpdated: r.customersUpdated };
    },
  };
}

export type IngestActivities = ReturnType<typeof createIngestActivities>;
