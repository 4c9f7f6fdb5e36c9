import { journeyEntryRequest } from '#core/api/journey-entries.ts';
import { toFieldErrors } from '#core/ingest/validation.ts';
import { UserError } from '#core/errors.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { enterJourney } from '#app/server/journey-entries.server.ts';
import type { Route } from './+types/journey-entries';

export const loader = () => methodNotAllowed(['POST']);

/** Enters one customer (or up to 10,000 through the batch workflow) into an API-entry journey. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new UserError('not_found', 'No published journey with this id.', 404);
    const parsed = journeyEntryRequest.safeParse(await readJson(request));
    if (!parsed.success) throw new UserError('invalid_request', 'The body is not a valid journey entry request.', 400, toFieldErrors(parsed.error));
    return json(await enterJourney({ db: getDb() }, tenantId, params.id, parsed.data), { status: 202 });
  });
}
