import { scoringRunRequest } from '#core/api/scoring.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { runScoringNow } from '#app/server/scoring-api.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/scoring-run';

export const loader = () => methodNotAllowed(['POST']);

/** Starts a scoring run now (optionally back-dated with `asOf`) and answers at once with where to follow it. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    // The body is optional: none (or an empty one) means "score as of now".
    const empty = request.headers.get('content-length') === '0' || !request.body;
    const raw = empty ? {} : await readJson(request, 16_384);
    const body = parseOr400(scoringRunRequest, raw ?? {}, 'body');
    return json(await runScoringNow(tenantId, body.asOf), { status: 202 });
  });
}
