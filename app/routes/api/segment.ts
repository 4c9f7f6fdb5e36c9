import { segmentPatchRequest } from '#core/api/openapi/segments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { archiveSegmentFor, getSegmentView, updateSegmentFor } from '#app/server/segments.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/segment';

/** Another tenant's segment answers 404, exactly like a missing one. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getSegmentView(tenantId, params.id));
  });
}

/** PATCH changes it (a new definition is recomputed at once); DELETE archives it. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PATCH' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'DELETE') return json(await archiveSegmentFor(tenantId, params.id));
    const patch = parseOr400(segmentPatchRequest, await readJson(request), 'segment change');
    return json(await updateSegmentFor(tenantId, params.id, patch));
  });
}
