import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { json, methodNotAllowed } from '#app/server/http.server.ts';
import { journeyApiHandler, listVersionsFor } from '#app/server/journeys.server.ts';
import type { Route } from './+types/journey-versions';

/** Published versions, newest first: each immutable definition and its layout. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return journeyApiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json({ data: await listVersionsFor(tenantId, params.id) });
  });
}

export const action = () => methodNotAllowed(['GET']);
