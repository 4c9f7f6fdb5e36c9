import { reviewDecision } from '#core/api/identity.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { decideReview } from '#app/server/reviews.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/review';

export const loader = () => methodNotAllowed(['POST']);

/** Decide a review: merge (runs the merge workflow) or reject (the pair is never merged again). */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    const body = parseOr400(reviewDecision, await readJson(request), 'decision');
    return json(await decideReview(tenantId, params.id, body.decision, `api-key:${apiKeyId}`, body.reason));
  });
}
