import { UserError } from '#core/errors.ts';
import { identityHistory, resolveCustomerId } from '#db/queries/identity.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import type { Route } from './+types/customer-identity-history';

export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const id = await resolveCustomerId(getDb().$client, tenantId, params.id);
    if (!id) throw new UserError('not_found', `No customer ${params.id}.`, 404);
    return json({ data: await identityHistory(getDb(), tenantId, id) });
  });
}

export const action = () => methodNotAllowed(['GET']);
