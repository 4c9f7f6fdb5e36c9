import { patchConnectionRequest } from '#core/api/connections.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { deleteConnectionFor, getConnectionView, patchConnectionFor } from '#app/server/connections.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/connection';

/** Another tenant's connection answers 404, exactly like a missing one. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getConnectionView(tenantId, params.id));
  });
}

export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PATCH' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'DELETE') {
      await deleteConnectionFor(tenantId, params.id);
      return json({ id: params.id, deleted: true });
    }
    const patch = parseOr400(patchConnectionRequest, await readJson(request), 'connection change');
    return json(await patchConnectionFor(tenantId, params.id, patch));
  });
}
