import { experimentPatchRequest } from '#core/api/openapi/experiments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { deleteExperimentFor, getExperimentView, updateExperimentFor } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/experiment';

/** Another tenant's experiment answers 404, exactly like a missing one. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getExperimentView(tenantId, params.id));
  });
}

/** PATCH changes it (after start only weights, texts, guardrails, sample, auto-select, interval, end); DELETE drafts only. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PATCH' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'DELETE') {
      await deleteExperimentFor(tenantId, params.id);
      return json({ id: params.id, deleted: true });
    }
    const raw = await readJson(request);
    parseOr400(experimentPatchRequest, raw, 'experiment change');
    // The raw patch (no defaults filled in) is merged into the stored definition, which is then parsed whole.
    return json(await updateExperimentFor(tenantId, params.id, raw as Record<string, unknown>));
  });
}
