// Date-based journey entries (birthday, signup / first-order anniversary): one hourly Temporal Schedule per tenant
// running journeyDateEntriesWorkflow, which enters the customers whose date is due in their own time zone.
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { deleteSchedule, upsertSchedule } from './temporal-schedules.server.ts';

export const journeyDateScheduleId = (tenantId: string) => `journey-dates:${tenantId}`;

export function journeyDateScheduleOptions(tenantId: string, taskQueue: string = TASK_QUEUES.journeys): ScheduleOptions {
  const tenant = [{ key: TenantIdKey, value: tenantId }];
  return {
    scheduleId: journeyDateScheduleId(tenantId),
    // Hourly: a journey's local hour comes round in some zone every hour; entries are keyed by occurrence, so a
    // run that overlaps or is caught up never enters anyone twice.
    spec: { intervals: [{ every: '1 hour' }] },
    action: { type: 'startWorkflow', workflowType: 'journeyDateEntriesWorkflow', workflowId: `journey-dates:${tenantId}:run`, args: [{ tenantId }], taskQueue, typedSearchAttributes: tenant },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    typedSearchAttributes: tenant,
    state: { note: 'Date-based journey entries (birthdays, anniversaries), hourly' },
  };
}

/**
 * Creates the tenant's schedule, or updates it if it exists. Call when a journey with a date entry is published or
 * resumed (idempotent); with no active date journey the hourly run finds nothing to do.
 */
export async function upsertJourneyDateSchedule(client: Client, tenantId: string, taskQueue?: string): Promise<'created' | 'updated'> {
  return upsertSchedule(client, journeyDateScheduleOptions(tenantId, taskQueue));
}

export async function deleteJourneyDateSchedule(client: Client, tenantId: string): Promise<void> {
  await deleteSchedule(client, journeyDateScheduleId(tenantId));
}
