// From inside a workflow: tell the tenant's activation workflow that data changed (signal, or start it).
import { getExternalWorkflowHandle, ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { activationChangesSignal, activationWorkflowId, type ActivationWorkflowInput } from '../activation/activation.contract.ts';
import { TenantIdKey } from './search-attributes.ts';
import { TASK_QUEUES } from './task-queues.ts';

/** Segments and journeys react to new data by signal, not polling; the activation workflow outlives the caller. */
export async function notifyActivation(tenantId: string): Promise<void> {
  const workflowId = activationWorkflowId(tenantId);
  try {
    await getExternalWorkflowHandle(workflowId).signal(activationChangesSignal);
    return;
  } catch {
    // not running: start it below
  }
  try {
    await startChild('activationWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUES.journeys,
      args: [{ tenantId } satisfies ActivationWorkflowInput],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    });
  } catch {
    // Started meanwhile (signal-with-start from the API): its first pass drains every feed anyway.
  }
}
