// From inside a workflow: tell the tenant's ingest workflow that new profiles are waiting (signal, or start it).
import { getExternalWorkflowHandle, ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { ingestWorkflowId, newDataSignal, type IngestWorkflowInput } from '../ingest/ingest.contract.ts';
import { TenantIdKey } from './search-attributes.ts';
import { TASK_QUEUES } from './task-queues.ts';

/**
 * Synced batches feed identity resolution by signal, not by polling. The ingest workflow is long-lived; if it
 * is not running (first data of a tenant), start it and leave it running after this workflow ends.
 */
export async function notifyIngest(tenantId: string): Promise<void> {
  const workflowId = ingestWorkflowId(tenantId);
  try {
    await getExternalWorkflowHandle(workflowId).signal(newDataSignal);
    return;
  } catch {
    // not running: start it below
  }
  try {
    await startChild('ingestWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUES.ingest,
      args: [{ tenantId } satisfies IngestWorkflowInput],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
    });
  } catch {
    // Started meanwhile by the API (signal-with-start): it drains pending profiles on its first pass anyway.
  }
}
