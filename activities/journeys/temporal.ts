// The Temporal side of journey activities: starting runs by signal-with-start on the activity's own task queue
// (cdp-journeys in production, the test's queue in tests) and waking the activation workflow.
import { Context } from '@temporalio/activity';
import { type Client, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { getTemporalClient } from '#platform/temporal.ts';
import { activationWakeOptions } from '#workflows/activation/activation.contract.ts';
import { journeyEventSignal, type JourneyEventSignal, type JourneyRunInput, journeySegmentSignal, type JourneySegmentSignal, journeyWorkflowId } from '#workflows/journeys/journey.contract.ts';
import { CustomerIdKey, TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';

export interface TemporalDeps {
  /** The process's client by default; tests pass their own. */
  temporal?: () => Promise<Client>;
  /** Task queue for started runs; defaults to the calling activity's queue (cdp-journeys), else cdp-journeys. */
  taskQueue?: string;
}

export const clientOf = (deps: TemporalDeps) => (deps.temporal ?? getTemporalClient)();

export function runTaskQueue(deps: TemporalDeps): string {
  if (deps.taskQueue) return deps.taskQueue;
  try {
    return Context.current().info.taskQueue;
  } catch {
    return TASK_QUEUES.journeys;
  }
}

export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity (API route, script)
  }
}

export type EntrySignal = { kind: 'event'; signal: JourneyEventSignal } | { kind: 'segment'; signal: JourneySegmentSignal };

/**
 * Starts a run or, when one with this id is running, delivers the signal to it. Closed runs with the same id may be
 * followed by a new one (re-entry rules were checked by the caller against journey_entries).
 */
export async function signalWithStartRun(client: Client, taskQueue: string, input: JourneyRunInput, entry: EntrySignal): Promise<string> {
  const workflowId = journeyWorkflowId(input.tenantId, input.journeyId, input.customerId, input.entryKey);
  const common = {
    workflowId,
    taskQueue,
    args: [input] as [JourneyRunInput],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: TenantIdKey, value: input.tenantId },
      { key: CustomerIdKey, value: input.customerId },
    ],
  };
  if (entry.kind === 'event') await client.workflow.signalWithStart('journeyRunWorkflow', { ...common, signal: journeyEventSignal, signalArgs: [entry.signal] });
  else await client.workflow.signalWithStart('journeyRunWorkflow', { ...common, signal: journeySegmentSignal, signalArgs: [entry.signal] });
  return workflowId;
}

/** Segments react to profile changes made by a journey: wake (or start) the tenant's activation workflow. */
export async function notifyActivationFromActivity(deps: TemporalDeps, tenantId: string): Promise<void> {
  const client = await clientOf(deps);
  await client.workflow.signalWithStart('activationWorkflow', activationWakeOptions(tenantId));
}
