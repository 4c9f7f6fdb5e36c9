import { segmentCreateRequest, segmentListQuery } from '#core/api/openapi/segments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { createSegmentFor, listSegmentViews } from '#app/server/segments.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/segments';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const { status } = parseOr400(segmentListQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json({ data: await listSegmentViews(tenantId, status) });
  });
}

export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(segmentCreateRequest, await readJson(request), 'segment');
    return json(await createSegmentFor(tenantId, body), { status: 201 });
  });
}
