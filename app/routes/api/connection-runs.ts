import { runListQuery } from '#core/api/connections.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { listRunsFor } from '#app/server/connections.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/connection-runs';

export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const { limit } = parseOr400(runListQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json({ data: await listRunsFor(tenantId, params.id, limit) });
  });
}

export const action = () => methodNotAllowed(['GET']);
