import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { VtexActivities } from '#activities/connectors/vtex/index.ts';
import { notifyIngest } from '../shared/notify-ingest.ts';
import { vtexInboxSignal, type VtexConfigureHookInput, type VtexInboxInput } from './vtex.contract.ts';

const acts = proxyActivities<VtexActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

const BATCH = 50;
/** With nothing new for this long the workflow ends; the next notification starts it again (signal-with-start). */
const IDLE = '5 minutes';
const MAX_BATCHES_PER_RUN = 500;

/**
 * Applies a connection's VTEX hook notifications: the route stores each one in webhook_inbox, answers 200 at
 * once and signals (or starts) this workflow, which fetches the orders and writes them in batches.
 */
export async function vtexInboxWorkflow(input: VtexInboxInput): Promise<void> {
  const { tenantId, connectionId } = input;
  let pending = input.pending ?? true;
  setHandler(vtexInboxSignal, () => {
    pending = true;
  });
  let batches = 0;
  for (;;) {
    if (!(await condition(() => pending, IDLE))) break;
    pending = false;
    let changed = 0;
    for (;;) {
      const r = await acts.vtexDrainInbox({ tenantId, connectionId, limit: BATCH });
      batches++;
      changed += r.profilesChanged;
      if (r.done) break;
    }
    if (changed) await notifyIngest(tenantId);
    if (workflowInfo().continueAsNewSuggested || batches >= MAX_BATCHES_PER_RUN) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof vtexInboxWorkflow>({ tenantId, connectionId, pending });
    }
  }
  await condition(allHandlersFinished);
}

/** Configures the connection's order hook (VTEX pings the URL; a new secret is stored once VTEX accepts). */
export async function vtexConfigureHookWorkflow(input: VtexConfigureHookInput): Promise<{ url: string }> {
  return acts.vtexConfigureHook(input);
}
