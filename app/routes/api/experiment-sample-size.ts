import { sampleSizeQuery } from '#core/api/openapi/experiments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { sampleSize } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/experiment-sample-size';

/** GET /api/v1/experiments/sample-size?baselineRate=0.05&mde=0.1&mdeKind=relative&alpha=0.05&power=0.8&variants=2 */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    await requireApiPrincipal(request);
    const query = parseOr400(sampleSizeQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json(sampleSize(query));
  });
}

export const action = () => methodNotAllowed(['GET']);
