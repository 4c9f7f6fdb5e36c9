// Starts identity workflows for the API and the customer page, and turns their failures back into HTTP errors.
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError, WorkflowIdConflictPolicy } from '@temporalio/client';
import { UserError, type ErrorCode, type FieldError } from '#core/errors.ts';
import type { MergeResult, UnmergeResult } from '#db/queries/identity.ts';
import { env } from '#platform/env.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { fullResolutionWorkflowId, type MergeInput, type UnmergeInput } from '#workflows/identity/identity.contract.ts';
import type { identityResolutionWorkflow, mergeCustomersWorkflow, unmergeCustomerWorkflow } from '#workflows/identity/identity.workflow.ts';
import { CustomerIdKey, TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';

export const workflowUiUrl = (workflowId: string, runId?: string) =>
  `${env().temporalUiUrl}/namespaces/${env().TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${runId}` : ''}`;

/** A UserError thrown in an activity travels as a non-retryable ApplicationFailure of the same code. */
function asUserError(err: unknown): never {
  if (err instanceof WorkflowFailedError) {
    let cause: unknown = err.cause;
    if (cause instanceof ActivityFailure) cause = cause.cause;
    if (cause instanceof ApplicationFailure && cause.type) {
      const [status, details] = (cause.details ?? []) as [number | undefined, FieldError[] | undefined];
      throw new UserError(cause.type as ErrorCode, cause.message, status ?? 400, details);
    }
  }
  throw err;
}

async function runIdentityWorkflow<R>(type: string, workflowId: string, input: MergeInput | UnmergeInput): Promise<R> {
  const client = await getTemporalClient();
  try {
    return (await client.workflow.execute(type, {
      workflowId,
      taskQueue: TASK_QUEUES.identity,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: TenantIdKey, value: input.tenantId },
        { key: CustomerIdKey, value: input.customerId },
      ],
      workflowExecutionTimeout: '5 minutes',
    })) as R;
  } catch (err) {
    return asUserError(err);
  }
}

/** @param requestKey an Idempotency-Key from the client; retries with the same key join the same workflow. */
export function mergeCustomers(input: MergeInput, requestKey?: string | null): Promise<MergeResult> {
  const id = `merge:${input.tenantId}:${input.customerId}:${input.otherCustomerId}:${requestKey ?? randomUUID()}`;
  return runIdentityWorkflow<MergeResult>('mergeCustomersWorkflow' satisfies (typeof mergeCustomersWorkflow)['name'], id, input);
}

export function unmergeCustomer(input: UnmergeInput, requestKey?: string | null): Promise<UnmergeResult> {
  const id = `unmerge:${input.tenantId}:${input.customerId}:${requestKey ?? randomUUID()}`;
  return runIdentityWorkflow<UnmergeResult>('unmergeCustomerWorkflow' satisfies (typeof unmergeCustomerWorkflow)['name'], id, input);
}

/** Starts (or joins, if one is running) the tenant's full re-resolution. */
export async function startFullResolution(tenantId: string, requestedBy: string) {
  const client = await getTemporalClient();
  const handle = await client.workflow.start<typeof identityResolutionWorkflow>('identityResolutionWorkflow', {
    workflowId: fullResolutionWorkflowId(tenantId),
    taskQueue: TASK_QUEUES.identity,
    args: [{ tenantId, requestedBy }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, temporalUiUrl: workflowUiUrl(handle.workflowId) };
}
