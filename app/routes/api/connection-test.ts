import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { checkConnectionFor } from '#app/server/connections.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import type { Route } from './+types/connection-test';

export const loader = () => methodNotAllowed(['POST']);

/** Checks the stored credentials with one cheap call to the provider; the answer is 200 either way. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    return json(await checkConnectionFor(tenantId, params.id));
  });
}
