import { patchJourneyRequest } from '#core/api/journeys.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { deleteJourneyFor, getJourneyFor, journeyApiHandler, patchJourneyFor } from '#app/server/journeys.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/journey';

/** The journey with its draft, the draft's validation and the published versions. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return journeyApiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getJourneyFor(tenantId, params.id));
  });
}

/** PATCH saves the draft (any JSON: validation is reported, not enforced) and its layout; DELETE drops a never-published draft. */
export async function action({ request, params }: Route.ActionArgs) {
  return journeyApiHandler(async () => {
    if (request.method !== 'PATCH' && request.method !== 'DELETE') return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
    const { tenantId } = await requireApiPrincipal(request);
    if (request.method === 'DELETE') {
      await deleteJourneyFor(tenantId, params.id);
      return json({ id: params.id, deleted: true });
    }
    const patch = parseOr400(patchJourneyRequest, await readJson(request), 'journey change');
    return json(await patchJourneyFor(tenantId, params.id, patch));
  });
}
