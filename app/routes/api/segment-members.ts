import { segmentMembersQuery } from '#core/api/openapi/segments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { membersFor } from '#app/server/segments.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/segment-members';

export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const { after, limit } = parseOr400(segmentMembersQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json(await membersFor(tenantId, params.id, { ...(after ? { after } : {}), limit }));
  });
}

export const action = () => methodNotAllowed(['GET']);
