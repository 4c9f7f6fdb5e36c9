import { z } from 'zod';
import { UserError } from '#core/errors.ts';
import { toFieldErrors } from '#core/ingest/validation.ts';
import { decodeImportCursor, listImports } from '#db/queries/imports.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { importSummary, receiveImport } from '#app/server/imports.server.ts';
import type { Route } from './+types/imports';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional() });

/** GET: the tenant's imports, newest first. */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const parsed = listQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new UserError('invalid_request', 'Invalid query parameters.', 400, toFieldErrors(parsed.error));
    const cursor = parsed.data.cursor ? decodeImportCursor(parsed.data.cursor) : undefined;
    if (parsed.data.cursor && !cursor) throw new UserError('invalid_request', 'The cursor is not one this API returned.', 400, [{ path: 'cursor', message: 'Invalid cursor' }]);
    const page = await listImports(getDb().$client, tenantId, { limit: parsed.data.limit, cursor });
    return json({ data: page.data.map((row) => importSummary(row)), nextCursor: page.nextCursor });
  });
}

/** POST: upload a file (the raw body) — a dry run answers 200 with its summary, an import 202 while it runs. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
    const { tenantId } = await requireApiPrincipal(request);
    return receiveImport(tenantId, request);
  });
}
