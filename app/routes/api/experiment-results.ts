import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { resultsFor } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import type { Route } from './+types/experiment-results';

/** The latest stored evaluation and the primary metric's history; `?fresh=1` also computes the results now. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const fresh = new URL(request.url).searchParams.get('fresh');
    return json(await resultsFor(tenantId, params.id, { fresh: fresh === '1' || fresh === 'true' }));
  });
}

export const action = () => methodNotAllowed(['GET']);
