import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { scoringRun } from '#app/server/scoring-api.server.ts';
import type { Route } from './+types/scoring-run-detail';

/** One run with its parameters, diagnostics and step times. Another tenant's run answers 404. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await scoringRun(tenantId, params.id));
  });
}

export const action = () => methodNotAllowed(['GET']);
