import { patchTemplateRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { deleteTemplateFor, getTemplateFor, patchTemplateFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/template';

export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getTemplateFor(tenantId, params.id));
  });
}

/** PATCH validates like create; DELETE archives a template that messages reference, else deletes it. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PATCH' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'DELETE') return json(await deleteTemplateFor(tenantId, params.id));
    const patch = parseOr400(patchTemplateRequest, await readJson(request), 'template change');
    return json(await patchTemplateFor(tenantId, params.id, patch));
  });
}
