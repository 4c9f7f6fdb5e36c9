import { unmergeRequest } from '#core/api/identity.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { unmergeCustomer } from '#app/server/identity.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/customer-unmerge';

export const loader = () => methodNotAllowed(['POST']);

export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    const body = parseOr400(unmergeRequest, await readJson(request), 'unmerge request');
    const result = await unmergeCustomer(
      { tenantId, customerId: params.id, sourceProfileIds: body.sourceProfileIds, actor: `api-key:${apiKeyId}`, reason: body.reason },
      request.headers.get('idempotency-key'),
    );
    return json(result);
  });
}
