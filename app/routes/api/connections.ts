import { createConnectionRequest } from '#core/api/connections.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { createConnectionFor, listConnectionViews } from '#app/server/connections.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/connections';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json({ data: await listConnectionViews(tenantId) });
  });
}

/** Creates a connection (and, for VTEX and MercadoLibre, its sync schedule). */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const input = parseOr400(createConnectionRequest, await readJson(request), 'connection');
    return json(await createConnectionFor(tenantId, input), { status: 201 });
  });
}
