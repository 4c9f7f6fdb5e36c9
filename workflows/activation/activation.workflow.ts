import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  ACTIVATION_BATCH,
  activationChangesSignal,
  activationStatusQuery,
  type ActivationStatus,
  type ActivationWorkflowInput,
  type JourneyDispatchActivities,
  type SegmentActivationActivities,
} from './activation.contract.ts';

const acts = proxyActivities<SegmentActivationActivities & JourneyDispatchActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** Time-relative rules and lost signals are caught by this sweep even when nothing signals. */
const SWEEP_INTERVAL = '1 minute';
const DEFAULT_MAX_PASSES_PER_RUN = 500;

/**
 * One per tenant, long-lived, woken by `changes` (signal-with-start from the API, ingest, syncs, scoring). Each pass
 * brings segment memberships up to date for changed customers, then hands new events and membership changes to the
 * journey dispatcher, until every feed is drained. Cursors live in PostgreSQL, so a crash or continue-as-new resumes
 * exactly where it stopped.
 */
export async function activationWorkflow(input: ActivationWorkflowInput): Promise<void> {
  const { tenantId, maxPassesPerRun = DEFAULT_MAX_PASSES_PER_RUN } = input;
  const status: ActivationStatus = input.status ?? {
    passes: 0,
    segmentEntries: 0,
    segmentExits: 0,
    eventsDispatched: 0,
    segmentChangesDispatched: 0,
    journeysStarted: 0,
    journeysSignalled: 0,
  };
  let pending = input.pending ?? true;
  setHandler(activationChangesSignal, () => {
    pending = true;
  });
  setHandler(activationStatusQuery, () => status);

  for (let passes = 0; ; passes++) {
    await condition(() => pending, SWEEP_INTERVAL);
    pending = false;
    const step = { tenantId, limit: ACTIVATION_BATCH };
    for (;;) {
      const segments = await acts.refreshChangedCustomers(step);
      status.segmentEntries += segments.entered;
      status.segmentExits += segments.exited;
      const events = await acts.dispatchEvents(step);
      const changes = await acts.dispatchSegmentChanges(step);
      for (const d of [events, changes]) {
        status.journeysStarted += d.started;
        status.journeysSignalled += d.signalled;
      }
      status.eventsDispatched += events.read;
      status.segmentChangesDispatched += changes.read;
      if (!segments.more && !events.more && !changes.more) break;
    }
    status.passes++;
    status.lastPassAt = new Date().toISOString();
    if (workflowInfo().continueAsNewSuggested || passes + 1 >= maxPassesPerRun) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof activationWorkflow>({ tenantId, status, pending, maxPassesPerRun });
    }
  }
}
