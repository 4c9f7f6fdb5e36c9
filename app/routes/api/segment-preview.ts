import { segmentPreviewRequest } from '#core/api/openapi/segments.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { previewFor } from '#app/server/segments.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/segment-preview';

export const loader = () => methodNotAllowed(['POST']);

/** Count and sample of an unsaved rule; nothing is written. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const { definition } = parseOr400(segmentPreviewRequest, await readJson(request), 'preview');
    return json(await previewFor(tenantId, definition));
  });
}
