// The web app's side of Temporal: it starts and signals workflows by name, never runs them.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { logger } from '#platform/logger.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import type { ingestWorkflow } from '#workflows/ingest/ingest.workflow.ts';
import { ingestWorkflowId, newDataSignal } from '#workflows/ingest/ingest.contract.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';

const inFlight = new Map<string, Promise<void>>();
const again = new Set<string>();

/**
 * Wakes the tenant's ingest workflow (signal-with-start). Calls are coalesced per tenant: at most
 * one RPC in flight plus one trailing, however many batches arrive. Failures are logged, not thrown:
 * the data is already stored and the workflow's periodic sweep picks it up.
 */
export function signalIngest(tenantId: string): void {
  if (inFlight.has(tenantId)) {
    again.add(tenantId);
    return;
  }
  const run = (async () => {
    try {
      const client = await getTemporalClient();
      await client.workflow.signalWithStart<typeof ingestWorkflow>('ingestWorkflow', {
        workflowId: ingestWorkflowId(tenantId),
        taskQueue: TASK_QUEUES.ingest,
        args: [{ tenantId }],
        signal: newDataSignal,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
      });
    } catch (err) {
      logger('temporal').warn({ err, tenantId }, 'could not signal the ingest workflow; the sweep will pick the data up');
    } finally {
      inFlight.delete(tenantId);
      if (again.delete(tenantId)) signalIngest(tenantId);
    }
  })();
  inFlight.set(tenantId, run);
}

/** Resolves once pending signals are sent (tests, graceful shutdown). */
export async function flushIngestSignals(): Promise<void> {
  while (inFlight.size) await Promise.all(inFlight.values());
}
