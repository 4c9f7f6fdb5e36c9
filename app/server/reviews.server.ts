// A review decision, shared by the API and the review page.
import { UserError } from '#core/errors.ts';
import { closeReview, getReview, rejectReview } from '#db/queries/identity-reviews.ts';
import { getDb } from './db.server.ts';
import { mergeCustomers } from './identity.server.ts';

export async function decideReview(tenantId: string, reviewId: string, decision: 'merge' | 'reject', actor: string, reason: string) {
  const review = await getReview(getDb(), tenantId, reviewId);
  if (!review) throw new UserError('not_found', `No review ${reviewId}.`, 404);
  if (review.status !== 'open') throw new UserError('conflict', `The review is already ${review.status}.`, 409);
  if (decision === 'reject') return { status: 'rejected' as const, ...(await rejectReview(getDb(), tenantId, reviewId, actor, reason)) };
  if (!review.customerA || !review.customerB) throw new UserError('conflict', 'One of the profiles is not resolved yet; try again in a moment.', 409);
  const merged =
    review.customerA === review.customerB
      ? undefined
      : await mergeCustomers(
          {
            tenantId,
            customerId: review.customerA,
            otherCustomerId: review.customerB,
            actor,
            reason,
            kind: 'review_merge',
            details: { reviewId, probability: review.probability, levels: review.levels },
          },
          `review-${reviewId}`,
        );
  await closeReview(getDb(), tenantId, reviewId, 'merged', actor, reason);
  return { status: 'merged' as const, ...merged };
}
