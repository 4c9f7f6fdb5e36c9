import { UserError } from '#core/errors.ts';
import { getCustomer } from '#db/queries/customers.ts';
import { getCustomerScores } from '#db/queries/scoring.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import type { Route } from './+types/customer';

/** The 360° profile. Another tenant's customer answers 404, exactly like a missing one. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const customer = await getCustomer(getDb(), tenantId, params.id);
    if (!customer) throw new UserError('not_found', `No customer ${params.id}.`, 404);
    return json({ ...customer, scores: await getCustomerScores(getDb().$client, tenantId, customer.id), segments: [], journeys: [], messages: [] });
  });
}

export const action = () => methodNotAllowed(['GET']);
