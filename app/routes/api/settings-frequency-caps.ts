import { frequencyCapsRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { frequencyCapsFor, putFrequencyCapsFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/settings-frequency-caps';

/** Global caps on marketing messages per customer, across journeys (channel null = all channels together). */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await frequencyCapsFor(tenantId));
  });
}

/** Replaces every cap. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(frequencyCapsRequest, await readJson(request), 'frequency caps');
    return json(await putFrequencyCapsFor(tenantId, body.caps));
  });
}
