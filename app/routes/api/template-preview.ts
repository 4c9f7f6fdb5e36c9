import { previewRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { previewTemplateFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/template-preview';

/** Renders the template (or unsaved `draft` fields) for a customer, or for sample data: { subject, html, text }. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(previewRequest, await readJson(request), 'preview request');
    return json(await previewTemplateFor(tenantId, params.id, body));
  });
}

export const loader = () => methodNotAllowed(['POST']);
