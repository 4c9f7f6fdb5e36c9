import { profileBatch } from '#core/ingest/profiles.ts';
import { parseBatch } from '#core/ingest/validation.ts';
import { upsertProfiles } from '#db/queries/ingest.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { signalActivation, signalIngest } from '#app/server/temporal.server.ts';
import type { Route } from './+types/profiles';

export const loader = () => methodNotAllowed(['POST']);

export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const { source, records } = parseBatch(profileBatch, await readJson(request), 'records', 'records');
    const result = await upsertProfiles(getDb().$client, tenantId, source, records);
    if (result.inserted || result.updated) {
      signalIngest(tenantId);
      // Segments read customers, so the real work follows ingest's resolution (which wakes activation again);
      // this early wake is coalesced and cheap, and picks up anything already resolved.
      signalActivation(tenantId);
    }
    return json(result);
  });
}
