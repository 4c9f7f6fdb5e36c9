import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { syncNowFor } from '#app/server/connections.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import type { Route } from './+types/connection-sync';

export const loader = () => methodNotAllowed(['POST']);

/** "Sync now": starts (or joins) a sync run and answers at once with where to watch it. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    return json(await syncNowFor(tenantId, params.id), { status: 202 });
  });
}
