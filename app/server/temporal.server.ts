// The web app's side of Temporal: it starts and signals workflows by name, never runs them.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { logger } from '#platform/logger.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import type { activationWorkflow } from '#workflows/activation/activation.workflow.ts';
import { activationWakeOptions } from '#workflows/activation/activation.contract.ts';
import type { ingestWorkflow } from '#workflows/ingest/ingest.workflow.ts';
import { ingestWorkflowId, newDataSignal } from '#workflows/ingest/ingest.contract.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';

const inFlight = new Map<string, Promise<void>>();
const again = new Set<string>();

/**
 * Runs `send` for a key with calls coalesced: at most one RPC in flight plus one trailing, however many batches
 * arrive. Failures are logged, not thrown: the data is already stored and the workflow's periodic sweep picks it up.
 */
function coalesced(key: string, what: string, send: () => Promise<unknown>): void {
  if (inFlight.has(key)) {
    again.add(key);
    return;
  }
  const run = (async () => {
    try {
      await send();
    } catch (err) {
      logger('temporal').warn({ err, key }, `could not signal the ${what} workflow; its sweep will pick the data up`);
    } finally {
      inFlight.delete(key);
      if (again.delete(key)) coalesced(key, what, send);
    }
  })();
  inFlight.set(key, run);
}

/** Wakes the tenant's ingest workflow (signal-with-start): new profiles or identify events to resolve. */
export function signalIngest(tenantId: string): void {
  coalesced(`ingest:${tenantId}`, 'ingest', async () => {
    const client = await getTemporalClient();
    await client.workflow.signalWithStart<typeof ingestWorkflow>('ingestWorkflow', {
      workflowId: ingestWorkflowId(tenantId),
      taskQueue: TASK_QUEUES.ingest,
      args: [{ tenantId }],
      signal: newDataSignal,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    });
  });
}

/** Wakes the tenant's activation workflow (signal-with-start): segments and journeys react to the new data. */
export function signalActivation(tenantId: string): void {
  coalesced(`activation:${tenantId}`, 'activation', async () => {
    const client = await getTemporalClient();
    await client.workflow.signalWithStart<typeof activationWorkflow>('activationWorkflow', activationWakeOptions(tenantId));
  });
}

/** Resolves once pending signals are sent (tests, graceful shutdown). */
export async function flushIngestSignals(): Promise<void> {
  while (inFlight.size) await Promise.all(inFlight.values());
}
