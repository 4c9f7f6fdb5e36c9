// Many customers into a journey at a controlled rate (segment backfill on publish, bulk API entry), and the hourly
// date-based entries. Both are thin loops over activities; progress is a query.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { JourneyEntryActivities } from '../../activities/journeys/entries.activities.ts';
import { journeyBatchProgressQuery, type JourneyBatchEntryInput } from './journey.contract.ts';

const acts = proxyActivities<JourneyEntryActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

const DEFAULT_RATE = 200;

/** Pages of about ten seconds' worth of starts, so a page fits comfortably in one activity with heartbeats. */
const pageSizeFor = (rate: number) => Math.max(100, Math.min(5000, Math.round(rate * 10)));

export async function journeyBatchEntryWorkflow(input: JourneyBatchEntryInput): Promise<{ done: number; total: number; entered: number; skipped: number }> {
  const rate = input.ratePerSecond ?? DEFAULT_RATE;
  const pageSize = pageSizeFor(rate);
  const progress = input.progress ?? { done: 0, total: input.customerIds?.length ?? 0 };
  const counts = (input as { counts?: { entered: number; skipped: number } }).counts ?? { entered: 0, skipped: 0 };
  setHandler(journeyBatchProgressQuery, () => progress);
  if (input.segmentId && !input.progress) progress.total = await acts.countJourneyBatch({ tenantId: input.tenantId, segmentId: input.segmentId });

  const ids = input.customerIds;
  const page = await acts.enterJourneyBatchPage({
    tenantId: input.tenantId,
    journeyId: input.journeyId,
    batchId: input.batchId,
    segmentId: input.segmentId,
    after: input.after,
    customerIds: ids?.slice(0, pageSize),
    pageSize,
    ratePerSecond: rate,
  });
  progress.done += page.processed;
  counts.entered += page.entered;
  counts.skipped += page.skipped;
  const more = !page.stopped && (ids ? ids.length > pageSize : page.processed === pageSize);
  if (!more) {
    if (input.segmentId) progress.total = Math.max(progress.total, progress.done);
    return { ...progress, ...counts };
  }
  // History stays one page long; the remaining list (or the keyset position) is the state.
  await condition(allHandlersFinished);
  return continueAsNew<typeof journeyBatchEntryWorkflow>({
    ...input,
    customerIds: ids?.slice(pageSize),
    after: ids ? undefined : page.last,
    progress,
    counts,
  } as JourneyBatchEntryInput);
}

/** Run hourly by the tenant's schedule (journeyDateScheduleId): enters customers whose date is due in their zone. */
export async function journeyDateEntriesWorkflow(input: { tenantId: string }): Promise<{ journeys: number; entered: number; skipped: number }> {
  return acts.enterDueDateJourneys({ tenantId: input.tenantId });
}
