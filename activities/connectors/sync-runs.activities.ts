// Sync run bookkeeping: the run history the Connections page shows.
import type { ConnectionKind } from '#core/connectors/types.ts';
import { finishSyncRun, getConnectionKind, startSyncRun } from '#db/queries/connections.ts';
import type { Db } from '#db/client.ts';
import type { SyncTrigger } from '#workflows/connectors/sync.contract.ts';

export function createSyncRunActivities({ db }: { db: Db }) {
  return {
    /**
     * Opens the run (idempotent per workflow execution). Undefined, and nothing recorded, when the connection is
     * gone or paused, or is a MercadoLibre connection whose seller has not authorized the CDP yet (OAuth pending):
     * its schedule exists from creation and would otherwise fail every 15 minutes.
     */
    async beginSyncRun(input: { tenantId: string; connectionId: string; workflowId: string; workflowRunId: string; trigger: SyncTrigger }): Promise<{ runId: string; kind: ConnectionKind } | undefined> {
      const c = await getConnectionKind(db.$client, input.connectionId);
      if (!c || c.tenantId !== input.tenantId || c.status === 'paused') return undefined;
      if (c.kind === 'mercadolibre' && !c.config.sellerId) return undefined;
      return { runId: await startSyncRun(db.$client, input), kind: c.kind };
    },
    async endSyncRun(input: { runId: string; status: 'succeeded' | 'failed'; error?: string; authFailed?: boolean }): Promise<void> {
      await finishSyncRun(db, input.runId, input);
    },
  };
}

export type SyncRunActivities = ReturnType<typeof createSyncRunActivities>;
