// API entries into journeys whose entry is `api`: one customer by signal-with-start, or many through the batch
// workflow. Re-entry rules are checked here against journey_entries, as the dispatcher does.
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowIdReusePolicy, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { z } from 'zod';
import type { journeyEntryRequest, journeyEntryResult } from '#core/api/journey-entries.ts';
import { UserError } from '#core/errors.ts';
import { entryOf } from '#core/journeys/graph.ts';
import { reEntryAllowed } from '#core/journeys/scheduling.ts';
import type { Db } from '#db/client.ts';
import { entryHistory, existingCustomers, journeyHead } from '#db/queries/journey-runs.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import {
  journeyBatchWorkflowId,
  type JourneyBatchEntryInput,
  journeyEventSignal,
  type JourneyRunInput,
  journeyWorkflowId,
} from '#workflows/journeys/journey.contract.ts';
import { CustomerIdKey, TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';

export interface JourneyEntryDeps {
  db: Db;
  temporal?: () => Promise<Client>;
  taskQueue?: string;
}

type Result = z.infer<typeof journeyEntryResult>;

async function connect(deps: JourneyEntryDeps): Promise<Client> {
  try {
    return await (deps.temporal ?? getTemporalClient)();
  } catch {
    throw new UserError('unavailable', 'The workflow engine is unreachable; nothing was started. Try again.', 503);
  }
}

export async function enterJourney(deps: JourneyEntryDeps, tenantId: string, journeyId: string, body: z.infer<typeof journeyEntryRequest>): Promise<Result> {
  const q = deps.db.$client;
  const taskQueue = deps.taskQueue ?? TASK_QUEUES.journeys;
  const head = await journeyHead(q, tenantId, journeyId);
  if (!head) throw new UserError('not_found', 'No published journey with this id.', 404);
  if (entryOf(head.definition)?.trigger.kind !== 'api') throw new UserError('entry_not_api', 'This journey is entered by its own trigger (segment, event or date), not by API calls.', 409);
  if (head.status !== 'active') throw new UserError('journey_not_active', `The journey is ${head.status}; it takes no entries.`, 409);
  const ids = 'customerId' in body ? [body.customerId] : [...new Set(body.customerIds)];
  const present = await existingCustomers(q, tenantId, ids);
  const unknown = ids.filter((id) => !present.has(id));
  if (unknown.length)
    throw new UserError(
      'not_found',
      unknown.length === 1 && 'customerId' in body ? 'No such customer.' : `${unknown.length} customer ids are unknown; nothing was entered.`,
      404,
      unknown.slice(0, 100).map((id) => ({ path: 'customerIds', message: `unknown customer ${id}` })),
    );

  if ('customerId' in body) {
    const key = body.key ?? '';
    const history = (await entryHistory(q, journeyId, [body.customerId], key)).get(body.customerId) ?? [];
    const workflowId = journeyWorkflowId(tenantId, journeyId, body.customerId, key || undefined);
    const allowed = reEntryAllowed(history, head.definition.settings.reEntry, new Date());
    if (!allowed.allowed) return { journeyId, version: head.latestVersion, entered: false, reason: allowed.reason, workflowIds: [workflowId] };
    const client = await connect(deps);
    const requestId = randomUUID();
    const at = new Date().toISOString();
    const input: JourneyRunInput = { tenantId, journeyId, version: head.latestVersion, customerId: body.customerId, entryKey: key || undefined, trigger: { kind: 'api', requestId, at, properties: body.properties } };
    await client.workflow.signalWithStart('journeyRunWorkflow', {
      workflowId,
      taskQueue,
      args: [input],
      signal: journeyEventSignal,
      signalArgs: [{ messageId: requestId, event: '$journey_entry', properties: body.properties ?? {}, at }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: TenantIdKey, value: tenantId },
        { key: CustomerIdKey, value: body.customerId },
      ],
    });
    return { journeyId, version: head.latestVersion, entered: true, workflowIds: [workflowId] };
  }

  const client = await connect(deps);
  const batchId = randomUUID();
  const batchWorkflowId = journeyBatchWorkflowId(tenantId, journeyId, batchId);
  await client.workflow.start('journeyBatchEntryWorkflow', {
    workflowId: batchWorkflowId,
    taskQueue,
    args: [{ tenantId, journeyId, batchId, customerIds: ids } satisfies JourneyBatchEntryInput],
    typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
  });
  return { journeyId, version: head.latestVersion, workflowIds: ids.map((id) => journeyWorkflowId(tenantId, journeyId, id)), batchWorkflowId };
}
