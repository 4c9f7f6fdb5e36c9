import { ApplicationFailure, ParentClosePolicy, patched, proxyActivities, setHandler, startChild, uuid4, workflowInfo, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { ScoringActivities } from '#activities/scoring/scoring.activities.ts';
import { vtexWriteBackWorkflowId, type VtexWriteBackInput } from '../connectors/vtex-write-back.workflow.ts';
import { segmentRecomputeWorkflowId, type SegmentRecomputeInput } from '../segments/segments.contract.ts';
import { TenantIdKey } from '../shared/search-attributes.ts';
import { TASK_QUEUES } from '../shared/task-queues.ts';
import { scoringProgressQuery, type NightlyScoringInput, type ScoringProgress, type ScoringStep } from './scoring.contract.ts';

// Whole-tenant steps: minutes on a large tenant, so a heartbeat proves they are alive, not a short timeout.
const acts = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});
const quick = proxyActivities<ScoringActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/**
 * The nightly scoring of one tenant: summaries + RFM (SQL) → BG/NBD and Gamma–Gamma fits (with fallback) →
 * co-purchase neighbours → propensity models → every customer's scores, history and change events → prospects.
 * Then the configured VTEX write-backs are started. `asOf` back-tests: every step only sees orders up to it.
 */
export async function nightlyScoringWorkflow(input: NightlyScoringInput): Promise<ScoringProgress> {
  const info = workflowInfo();
  const runId = input.runId ?? uuid4();
  const asOf = input.asOf ?? new Date(info.startTime).toISOString();
  const progress: ScoringProgress = { runId, asOf, step: 'starting', stepsDone: [], customers: 0, customersScored: 0 };
  setHandler(scoringProgressQuery, () => progress);
  const step = async <T>(name: ScoringStep, fn: () => Promise<T>): Promise<T> => {
    progress.step = name;
    const out = await fn();
    progress.stepsDone.push(name);
    return out;
  };

  const ctx = await quick.beginScoring({
    tenantId: input.tenantId,
    runId,
    asOf,
    trigger: input.trigger ?? 'manual',
    workflowId: info.workflowId,
    workflowRunId: info.runId,
  });
  try {
    const summary = await step('summaries', () => acts.buildScoringSummaries(ctx));
    progress.customers = summary.customers;
    const models = await step('models', () => acts.fitCustomerModels(ctx));
    await step('neighbours', () => acts.rebuildProductNeighbours(ctx));
    const propensity = await step('propensity', () => acts.fitPropensityModels(ctx));
    const scored = await step('customers', () => acts.scoreCustomers({ ctx, models, propensity }));
    progress.customersScored = scored.customers;
    await step('prospects', () => acts.scoreProspectCustomers(ctx));
    await step('finish', () => quick.finishScoring({ tenantId: input.tenantId, runId, status: 'succeeded' }));
  } catch (err) {
    progress.step = 'failed';
    const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    await quick.finishScoring({ tenantId: input.tenantId, runId, status: 'failed', error: message });
    throw ApplicationFailure.nonRetryable(`Scoring run ${runId} failed: ${message}`, 'ScoringFailed');
  }

  // Fresh scores → the providers that want them. One write-back per connection at a time: one already running
  // will pick the new values up as it goes, so "already started" is fine.
  await step('write_back', async () => {
    for (const connectionId of await quick.scoringWriteBackTargets({ tenantId: input.tenantId })) {
      try {
        await startChild('vtexWriteBackWorkflow', {
          workflowId: vtexWriteBackWorkflowId(connectionId),
          taskQueue: TASK_QUEUES.connectors,
          args: [{ tenantId: input.tenantId, connectionId } satisfies VtexWriteBackInput],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          typedSearchAttributes: [{ key: TenantIdKey, value: input.tenantId }],
        });
      } catch {
        // already running
      }
    }
  });
  // Fresh scores → every segment recomputed (it ends by waking the activation loop, so journeys see the changes).
  // Started, not awaited: scoring is done; the recompute runs on the journeys queue.
  if (patched('segments-after-scoring')) {
    try {
      await startChild('segmentRecomputeWorkflow', {
        workflowId: segmentRecomputeWorkflowId(input.tenantId, `scoring-${runId}`),
        taskQueue: TASK_QUEUES.journeys,
        args: [{ tenantId: input.tenantId, reason: 'scoring' } satisfies SegmentRecomputeInput],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        typedSearchAttributes: [{ key: TenantIdKey, value: input.tenantId }],
      });
    } catch {
      // already started for this run (a replayed or retried task)
    }
  }
  progress.step = 'done';
  return progress;
}
