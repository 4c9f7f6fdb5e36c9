import { customerListQuery } from '#core/api/customers.ts';
import { UserError } from '#core/errors.ts';
import { toFieldErrors } from '#core/ingest/validation.ts';
import { decodeCursor, listCustomers } from '#db/queries/customers.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import type { Route } from './+types/customers';

export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const parsed = customerListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw new UserError('invalid_request', 'Invalid query parameters.', 400, toFieldErrors(parsed.error));
    const { q, limit, cursor: rawCursor } = parsed.data;
    const cursor = rawCursor ? decodeCursor(rawCursor) : undefined;
    if (rawCursor && !cursor) throw new UserError('invalid_request', 'The cursor is not one this API returned.', 400, [{ path: 'cursor', message: 'Invalid cursor' }]);
    return json(await listCustomers(getDb(), tenantId, { q, limit, cursor }));
  });
}

export const action = () => methodNotAllowed(['GET']);
