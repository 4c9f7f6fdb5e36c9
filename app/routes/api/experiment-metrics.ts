import { metricCreateRequest } from '#core/api/openapi/experiments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { createMetricFor, listMetricsFor } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/experiment-metrics';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json({ data: await listMetricsFor(tenantId) });
  });
}

export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(metricCreateRequest, await readJson(request), 'metric');
    return json(await createMetricFor(tenantId, body), { status: 201 });
  });
}
