import { createJourneyRequest } from '#core/api/journeys.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { createJourneyFor, journeyApiHandler, listJourneysFor } from '#app/server/journeys.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/journeys';

/** Every journey of the tenant with status, latest version and headline numbers. */
export async function loader({ request }: Route.LoaderArgs) {
  return journeyApiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json({ data: await listJourneysFor(tenantId) });
  });
}

/** Creates a draft: blank, from a definition, or from a ready-made template (creating its templates and segments). */
export async function action({ request }: Route.ActionArgs) {
  return journeyApiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const input = parseOr400(createJourneyRequest, await readJson(request), 'journey');
    return json(await createJourneyFor(tenantId, input), { status: 201 });
  });
}
