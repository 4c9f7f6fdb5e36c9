import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { startFullResolution } from '#app/server/identity.server.ts';
import type { Route } from './+types/resolve';

export const loader = () => methodNotAllowed(['POST']);

/** Full re-resolution of the tenant as a workflow; answers at once with where to watch it. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    return json(await startFullResolution(tenantId, `api-key:${apiKeyId}`), { status: 202 });
  });
}
