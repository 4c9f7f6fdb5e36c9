import { experimentCreateRequest, experimentListQuery } from '#core/api/openapi/experiments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { createExperimentFor, listExperimentViews } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/experiments';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const { status } = parseOr400(experimentListQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json({ data: await listExperimentViews(tenantId, status) });
  });
}

/** Creates a draft; references (metrics, segment, journey node, templates) are checked with the paths of bad parts. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(experimentCreateRequest, await readJson(request), 'experiment');
    return json(await createExperimentFor(tenantId, body), { status: 201 });
  });
}
