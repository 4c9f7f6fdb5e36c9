import { identitySettings } from '#core/tenants/settings.ts';
import { getIdentitySettings, updateIdentitySettings } from '#db/queries/tenants.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/settings';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await getIdentitySettings(getDb(), tenantId));
  });
}

/** Replaces the identity settings (omitted keys take their defaults). Applies to resolutions from now on. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
    const { tenantId } = await requireApiPrincipal(request);
    const settings = parseOr400(identitySettings, await readJson(request), 'identity settings');
    return json(await updateIdentitySettings(getDb(), tenantId, settings));
  });
}
