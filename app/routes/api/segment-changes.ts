import { segmentChangesQuery } from '#core/api/openapi/segments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { changesFor } from '#app/server/segments.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/segment-changes';

export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const q = parseOr400(segmentChangesQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json(await changesFor(tenantId, params.id, q));
  });
}

export const action = () => methodNotAllowed(['GET']);
