import { ApplicationFailure } from '@temporalio/activity';
import { UserError } from '#core/errors.ts';
import type { Db } from '#db/client.ts';
import { markAllPending, mergeCustomers, resolvePendingIdentities, unmergeProfiles } from '#db/queries/identity.ts';

/** Bad input must not be retried: surface it as a non-retryable failure the API maps back to a 4xx. */
async function userErrorsAreFinal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError)
      throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true, details: [err.status, err.details ?? []] });
    throw err;
  }
}

export function createIdentityActivities({ db }: { db: Db }) {
  return {
    async markAllProfilesPending(input: { tenantId: string }): Promise<number> {
      return markAllPending(db, input.tenantId);
    },
    async resolveIdentityBatch(input: { tenantId: string; limit: number }) {
      const { createdCustomerIds: _ids, ...counts } = await resolvePendingIdentities(db, input.tenantId, input.limit);
      return counts;
    },
    async mergeCustomers(input: { tenantId: string; customerId: string; otherCustomerId: string; actor: string; reason: string; kind?: 'manual_merge' | 'review_merge'; details?: Record<string, unknown> }) {
      return userErrorsAreFinal(() => mergeCustomers(db, input.tenantId, input));
    },
    async unmergeProfiles(input: { tenantId: string; customerId: string; sourceProfileIds: string[]; actor: string; reason: string }) {
      return userErrorsAreFinal(() => unmergeProfiles(db, input.tenantId, input));
    },
  };
}

export type IdentityActivities = ReturnType<typeof createIdentityActivities>;
