import { analyticsQuery } from '#core/api/journeys.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { json, methodNotAllowed } from '#app/server/http.server.ts';
import { analyticsFor, journeyApiHandler } from '#app/server/journeys.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/journey-analytics';

/** Per-node counts (entered, waiting, exits per port, messages, conversions) for one version or all of them. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return journeyApiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const query = parseOr400(analyticsQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json(await analyticsFor(tenantId, params.id, query.version ?? null));
  });
}

export const action = () => methodNotAllowed(['GET']);
