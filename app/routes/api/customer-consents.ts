import { putConsentsRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { consentsFor, putConsentsFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/customer-consents';

export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await consentsFor(tenantId, params.id));
  });
}

/** Sets consent per channel (`granted` | `revoked`); channels not listed keep theirs. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(putConsentsRequest, await readJson(request), 'consents');
    return json(await putConsentsFor(tenantId, params.id, body));
  });
}
