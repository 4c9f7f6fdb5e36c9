import type { Db } from '#db/client.ts';
import { resolvePendingIdentities } from '#db/queries/identity.ts';
import { foldIdentifyEvents } from '#db/queries/ingest.ts';

export interface IngestDeps {
  db: Db;
}

export function createIngestActivities({ db }: IngestDeps) {
  return {
    /** Returns how many identify events were folded into profiles. */
    async foldIdentifyEvents(input: { tenantId: string; limit: number }): Promise<number> {
      return foldIdentifyEvents(db, input.tenantId, input.limit);
    },
    /** Incremental identity resolution of new and changed profiles (the name predates it: recorded histories use it). */
    async resolvePendingProfiles(input: { tenantId: string; limit: number }) {
      const { createdCustomerIds: _ids, ...counts } = await resolvePendingIdentities(db, input.tenantId, input.limit);
      return counts;
    },
  };
}

export type IngestActivities = ReturnType<typeof createIngestActivities>;
