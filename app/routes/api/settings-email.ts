import { emailSettingsRequest } from '#core/messaging/api.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { emailSettingsFor, putEmailSettingsFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/settings-email';

/** The tenant's SMTP settings. The password is write-only: responses only say whether one is stored. */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    return json(await emailSettingsFor(tenantId));
  });
}

export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
    const { tenantId } = await requireApiPrincipal(request);
    const body = parseOr400(emailSettingsRequest, await readJson(request), 'email settings');
    return json(await putEmailSettingsFor(tenantId, body));
  });
}
