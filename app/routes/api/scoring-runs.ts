import { scoringRunListQuery } from '#core/api/scoring.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { scoringRuns } from '#app/server/scoring-api.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/scoring-runs';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const { limit } = parseOr400(scoringRunListQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json({ data: await scoringRuns(tenantId, limit) });
  });
}

export const action = () => methodNotAllowed(['GET']);
