import { testSendRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { testSendFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/template-test-send';

/**
 * Sends the template through the real render + SMTP path: `{ to }` (any address; customerId optionally supplies the
 * data) or `{ customerId }` (that customer's address, consent and suppression honoured).
 */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    const body = parseOr400(testSendRequest, await readJson(request), 'test send');
    return json(await testSendFor(tenantId, params.id, body, `api-key:${apiKeyId}`));
  });
}

export const loader = () => methodNotAllowed(['POST']);
