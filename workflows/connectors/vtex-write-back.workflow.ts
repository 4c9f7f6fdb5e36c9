import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { VtexActivities } from '#activities/connectors/vtex/index.ts';
import type { WriteBackCounts } from '#activities/connectors/vtex/write-back.activities.ts';

const acts = proxyActivities<VtexActivities>({
  // A batch holds about a minute of rate-limited PATCHes.
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

const MAX_BATCHES_PER_RUN = 300;

export interface VtexWriteBackInput {
  tenantId: string;
  connectionId: string;
  state?: { after?: string; counts: WriteBackCounts; errors: { clId: string; reason: string }[] };
}

export const writeBackStatusQuery = defineQuery<WriteBackCounts>('status');
/** One write-back at a time per connection. */
export const vtexWriteBackWorkflowId = (connectionId: string) => `vtex-write-back:${connectionId}`;

/**
 * Writes the CDP's scores and segments (config.writeBack.fields) to the VTEX CL documents of every customer with a
 * VTEX profile, in batches, only where a value changed, at config.writeBack.requestsPerSecond. Idempotent: a rerun
 * sends nothing that VTEX already holds. Started after scoring (issue 5) or by hand.
 */
export async function vtexWriteBackWorkflow(input: VtexWriteBackInput): Promise<WriteBackCounts & { errors: { clId: string; reason: string }[] }> {
  const { tenantId, connectionId } = input;
  const s = input.state ?? { counts: { customers: 0, written: 0, unchanged: 0, failed: 0 }, errors: [] };
  setHandler(writeBackStatusQuery, () => s.counts);
  for (let batches = 0; ; batches++) {
    if (workflowInfo().continueAsNewSuggested || batches >= MAX_BATCHES_PER_RUN) await continueAsNew<typeof vtexWriteBackWorkflow>({ tenantId, connectionId, state: s });
    const r = await acts.vtexWriteBackBatch({ tenantId, connectionId, after: s.after });
    for (const k of ['customers', 'written', 'unchanged', 'failed'] as const) s.counts[k] += r.counts[k];
    // The first errors only: the counts have the total.
    s.errors = [...s.errors, ...r.errors].slice(0, 100);
    s.after = r.after ?? s.after;
    if (r.done) break;
  }
  return { ...s.counts, errors: s.errors };
}
