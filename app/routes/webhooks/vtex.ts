// POST /webhooks/vtex/:connectionId — VTEX order hook (no session, no API key: the secret header authenticates).
import { getDb } from '#app/server/db.server.ts';
import { methodNotAllowed } from '#app/server/http.server.ts';
import { handleVtexHook, wakeVtexInbox } from '#app/server/vtex-hook.server.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import type { Route } from './+types/vtex';

export const loader = () => methodNotAllowed(['POST']);

export async function action({ request, params }: Route.ActionArgs) {
  return handleVtexHook(request, params.connectionId, { db: getDb(), keyring: credentialsKeyring(), wake: (t, c) => wakeVtexInbox(t, c) });
}
