import { condition, continueAsNew, patched, proxyActivities, setHandler, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import type { IngestActivities } from '#activities/ingest/ingest.activities.ts';
import { notifyActivation } from '../shared/notify-activation.ts';
import { INGEST_BATCH, ingestStatusQuery, newDataSignal, type IngestStatus, type IngestWorkflowInput } from './ingest.contract.ts';

const acts = proxyActivities<IngestActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** A safety net: even if a signal is lost (the API crashed between write and signal), pending rows are picked up. */
const SWEEP_INTERVAL = '10 minutes';
/** Keeps the history of this forever-running workflow bounded even when the server does not suggest it. */
const DEFAULT_MAX_PASSES_PER_RUN = 500;

/**
 * One per tenant, long-lived, woken by `newData` (signal-with-start from the API). Each pass drains
 * identify events into profiles and pending profiles into customers, in batches, until nothing is left.
 */
export async function ingestWorkflow(input: IngestWorkflowInput): Promise<void> {
  const { tenantId, maxPassesPerRun = DEFAULT_MAX_PASSES_PER_RUN } = input;
  const status: IngestStatus = input.status ?? { passes: 0, profilesResolved: 0, identifyEventsFolded: 0, customersCreated: 0 };
  let pending = input.pending ?? true;
  setHandler(newDataSignal, () => {
    pending = true;
  });
  setHandler(ingestStatusQuery, () => status);

  for (let passes = 0; ; passes++) {
    await condition(() => pending, SWEEP_INTERVAL);
    pending = false;
    let resolvedThisPass = 0;
    for (;;) {
      const folded = await acts.foldIdentifyEvents({ tenantId, limit: INGEST_BATCH });
      const resolved = await acts.resolvePendingProfiles({ tenantId, limit: INGEST_BATCH });
      status.identifyEventsFolded += folded;
      status.profilesResolved += resolved.profiles;
      status.customersCreated += resolved.customersCreated;
      resolvedThisPass += resolved.profiles;
      if (folded < INGEST_BATCH && resolved.profiles < INGEST_BATCH) break;
    }
    // Resolved profiles created or changed customers: segments (and the journeys listening to them) re-check them.
    if (resolvedThisPass > 0 && patched('notify-activation')) await notifyActivation(tenantId);
    status.passes++;
    status.lastPassAt = new Date().toISOString();
    if (workflowInfo().continueAsNewSuggested || passes + 1 >= maxPassesPerRun) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof ingestWorkflow>({ tenantId, status, pending, maxPassesPerRun });
    }
  }
}
