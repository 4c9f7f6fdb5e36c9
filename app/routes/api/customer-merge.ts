import { mergeRequest } from '#core/api/identity.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { mergeCustomers } from '#app/server/identity.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/customer-merge';

export const loader = () => methodNotAllowed(['POST']);

/** Runs as a workflow (visible in the Temporal UI) and answers when it is done. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    const body = parseOr400(mergeRequest, await readJson(request), 'merge request');
    const result = await mergeCustomers(
      { tenantId, customerId: params.id, otherCustomerId: body.otherCustomerId, actor: `api-key:${apiKeyId}`, reason: body.reason },
      request.headers.get('idempotency-key'),
    );
    return json(result);
  });
}
