import { metricPatchRequest } from '#core/api/openapi/experiments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { deleteMetricFor, getMetricFor, updateMetricFor } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/experiment-metric';

/** Another tenant's metric answers 404, exactly like a missing one. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getMetricFor(tenantId, params.id));
  });
}

/** PATCH changes it; DELETE removes it while no experiment references it. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PATCH' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'DELETE') {
      await deleteMetricFor(tenantId, params.id);
      return json({ id: params.id, deleted: true });
    }
    const patch = parseOr400(metricPatchRequest, await readJson(request), 'metric change');
    return json(await updateMetricFor(tenantId, params.id, patch));
  });
}
