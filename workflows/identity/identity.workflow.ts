import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { IdentityActivities } from '#activities/identity/identity.activities.ts';
import { fullResolutionProgressQuery, IDENTITY_BATCH, type FullResolutionInput, type MergeInput, type UnmergeInput } from './identity.contract.ts';

const acts = proxyActivities<IdentityActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** Re-resolves every profile of a tenant with the current rules and thresholds (POST /api/v1/identity/resolve). */
export async function identityResolutionWorkflow(input: FullResolutionInput) {
  const progress = input.progress ?? { total: 0, done: 0, customersCreated: 0, customersMerged: 0, reviewsOpened: 0 };
  setHandler(fullResolutionProgressQuery, () => progress);
  if (!input.progress) progress.total = await acts.markAllProfilesPending({ tenantId: input.tenantId });
  for (;;) {
    const r = await acts.resolveIdentityBatch({ tenantId: input.tenantId, limit: IDENTITY_BATCH });
    progress.done += r.profiles;
    progress.customersCreated += r.customersCreated;
    progress.customersMerged += r.customersMerged;
    progress.reviewsOpened += r.reviewsOpened;
    if (r.profiles < IDENTITY_BATCH) return progress;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof identityResolutionWorkflow>({ ...input, progress });
  }
}

/** A person (or a review decision) merges two customers; the older one survives. */
export async function mergeCustomersWorkflow(input: MergeInput) {
  return acts.mergeCustomers(input);
}

/** Takes profiles out of a customer, restoring the customer a merge absorbed when it can. */
export async function unmergeCustomerWorkflow(input: UnmergeInput) {
  return acts.unmergeProfiles(input);
}
