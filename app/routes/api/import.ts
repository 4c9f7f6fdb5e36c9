import { UserError } from '#core/errors.ts';
import { getImport } from '#db/queries/imports.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { importDetail } from '#app/server/imports.server.ts';
import type { Route } from './+types/import';

/** One import: status, counts, progress and the first errors (line and reason). */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const row = await getImport(getDb().$client, tenantId, params.id);
    if (!row) throw new UserError('not_found', `No import ${params.id}.`, 404);
    return json(importDetail(row));
  });
}

export const action = () => methodNotAllowed(['GET']);
