import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, executeChild, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SyncRunActivities } from '#activities/connectors/sync-runs.activities.ts';
import type { ScoringActivities } from '#activities/scoring/scoring.activities.ts';
import type { SyncCounts } from '#core/connectors/types.ts';
import { notifyActivation } from '../shared/notify-activation.ts';
import { FAILURE, providerSyncWorkflowType, syncRunWorkflowId, type ProviderSyncInput, type ScheduledSyncResult, type SyncWorkflowInput } from './sync.contract.ts';

const runs = proxyActivities<SyncRunActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const scoring = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** The ApplicationFailure at the bottom of a child → activity failure chain, if any. */
function rootFailure(err: unknown): ApplicationFailure | undefined {
  let e: unknown = err;
  while (e instanceof ChildWorkflowFailure || e instanceof ActivityFailure || (e instanceof ApplicationFailure && e.cause)) e = (e as Error).cause;
  return e instanceof ApplicationFailure ? e : undefined;
}

/**
 * One sync run of one connection, as the schedule, "sync now" or a webhook starts it: opens a run in the
 * history, runs the provider's sync workflow as a child (which pages, commits cursors and continues-as-new),
 * and closes the run with its counts or its error. A failed run fails this workflow too, so ops see it.
 */
export async function connectionSyncWorkflow(input: SyncWorkflowInput): Promise<SyncCounts | undefined> {
  const { tenantId, connectionId } = input;
  const info = workflowInfo();
  const begun = await runs.beginSyncRun({ tenantId, connectionId, workflowId: info.workflowId, workflowRunId: info.runId, trigger: input.trigger ?? 'schedule' });
  if (!begun) return undefined; // deleted or paused: nothing to do, nothing recorded
  const workflowType = providerSyncWorkflowType[begun.kind];
  if (!workflowType) {
    await runs.endSyncRun({ runId: begun.runId, status: 'failed', error: `Connections of kind "${begun.kind}" receive uploads; they have no sync.` });
    return undefined;
  }
  try {
    const counts = await executeChild<(i: ProviderSyncInput) => Promise<SyncCounts>>(workflowType, {
      workflowId: `${info.workflowId}/${begun.kind}`,
      // The parent's queue: connectors in production, a test's own queue in tests.
      taskQueue: info.taskQueue,
      args: [{ tenantId, connectionId, runId: begun.runId }],
    });
    await runs.endSyncRun({ runId: begun.runId, status: 'succeeded' });
    // Lifecycle on every order: customers who just ordered move now (e.g. DORMANT → REACTIVATED), not at 02:00.
    // Best effort: the sync itself succeeded, and the nightly run re-evaluates everyone anyway.
    if (patched('lifecycle-on-order')) await scoring.refreshOrderLifecycle({ tenantId, since: new Date(info.startTime).toISOString() }).catch(() => undefined);
    // New or changed orders (and the lifecycle moves above): segments and journeys react now, not at the next sweep.
    if ((counts.inserted > 0 || counts.updated > 0) && patched('notify-activation-after-sync')) await notifyActivation(tenantId);
    return counts;
  } catch (err) {
    const root = rootFailure(err);
    await runs.endSyncRun({
      runId: begun.runId,
      status: 'failed',
      error: root?.message ?? (err as Error).message,
      authFailed: root?.type === FAILURE.auth,
    });
    throw err;
  }
}

/**
 * What a connection's Temporal Schedule starts. The run itself is `connectionSyncWorkflow` under the connection's
 * one run id (`sync:<id>:run`), the id "sync now" uses too: when a manual run is in flight the child cannot start
 * (Temporal allows one open execution per id) and this tick joins it instead of syncing the same pages twice.
 * Ticks of the schedule itself never overlap (overlap policy SKIP).
 */
export async function scheduledSyncWorkflow(input: SyncWorkflowInput): Promise<ScheduledSyncResult> {
  const info = workflowInfo();
  const workflowId = syncRunWorkflowId(input.connectionId);
  try {
    const counts = await executeChild(connectionSyncWorkflow, {
      workflowId,
      taskQueue: info.taskQueue,
      args: [{ ...input, trigger: input.trigger ?? 'schedule' }],
      // Children do not inherit search attributes; the run must stay findable by tenant in the Temporal UI.
      typedSearchAttributes: info.typedSearchAttributes,
    });
    return { workflowId, joined: false, counts };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, joined: true };
    throw err;
  }
}
