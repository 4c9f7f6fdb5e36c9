import { proxyActivities } from '@temporalio/workflow';
import type { SegmentActivities } from '#activities/segments/segments.activities.ts';
import { notifyActivation } from '../shared/notify-activation.ts';
import type { RecomputeSegmentsResult, SegmentRecomputeInput } from './segments.contract.ts';

// One transaction over the whole tenant: minutes on a large one, kept alive by heartbeats.
const acts = proxyActivities<SegmentActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
});

/**
 * Full recompute of a tenant's segments (after a save, after nightly scoring, hourly for time-relative rules), then
 * a wake-up of the activation loop so journeys receive the entries and exits it wrote.
 */
export async function segmentRecomputeWorkflow(input: SegmentRecomputeInput): Promise<RecomputeSegmentsResult> {
  const result = await acts.recomputeSegments({
    tenantId: input.tenantId,
    ...(input.segmentIds ? { segmentIds: input.segmentIds } : {}),
    ...(input.timeDependentOnly ? { timeDependentOnly: true } : {}),
  });
  await notifyActivation(input.tenantId);
  return result;
}
