// The UI's upload endpoint: the same streaming import as POST /api/v1/imports, authenticated by the session.
import { UserError } from '#core/errors.ts';
import { getSessionUser } from '#app/server/auth.server.ts';
import { apiHandler, methodNotAllowed } from '#app/server/http.server.ts';
import { receiveImport } from '#app/server/imports.server.ts';
import type { Route } from './+types/imports-upload';

export const loader = () => methodNotAllowed(['POST']);

export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    // Answer JSON, not a redirect to the login page: the caller is a script uploading with progress.
    const user = await getSessionUser(request);
    if (!user) throw new UserError('unauthorized', 'Your session has ended: sign in again.', 401);
    return receiveImport(user.tenantId, request);
  });
}
