// Fans a journey's pause / resume / archive out to its running customers, a page per activity.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { JourneyControlActivities } from '../../activities/journeys/control.activities.ts';
import type { JourneyControlInput } from './journey.contract.ts';

const acts = proxyActivities<JourneyControlActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export async function journeyControlWorkflow(input: JourneyControlInput): Promise<{ signalled: number }> {
  const page = await acts.signalJourneyControlPage({ tenantId: input.tenantId, journeyId: input.journeyId, status: input.status, after: input.after, pageSize: 2000 });
  const signalled = (input.signalled ?? 0) + page.signalled;
  if (!page.last) return { signalled };
  return continueAsNew<typeof journeyControlWorkflow>({ ...input, after: page.last, signalled });
}
