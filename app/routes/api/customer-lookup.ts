import { lookupQuery } from '#core/api/identity.ts';
import { UserError } from '#core/errors.ts';
import { getCustomer } from '#db/queries/customers.ts';
import { lookupCustomer } from '#db/queries/identity-reviews.ts';
import { getTenantById } from '#db/queries/tenants.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/customer-lookup';

/** The surviving customer behind one identifier: its id and golden record, or 404. */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const q = parseOr400(lookupQuery, Object.fromEntries(new URL(request.url).searchParams), 'lookup query');
    const tenant = await getTenantById(getDb(), tenantId);
    const id = await lookupCustomer(getDb(), tenantId, q, tenant?.defaultCountry ?? 'AR');
    const customer = id ? await getCustomer(getDb(), tenantId, id) : undefined;
    if (!customer) throw new UserError('not_found', 'No customer has that identifier.', 404);
    const { sourceProfiles: _p, recentEvents: _e, orderSummary: _o, ...golden } = customer;
    return json(golden);
  });
}

export const action = () => methodNotAllowed(['GET']);
