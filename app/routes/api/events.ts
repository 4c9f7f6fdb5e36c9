import { eventBatch } from '#core/ingest/events.ts';
import { parseBatch } from '#core/ingest/validation.ts';
import { insertEvents } from '#db/queries/ingest.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { signalActivation, signalIngest } from '#app/server/temporal.server.ts';
import type { Route } from './+types/events';

export const loader = () => methodNotAllowed(['POST']);

/** Appends a batch in one statement; raw data never waits on a workflow. */
export async function action({ request }: Route.ActionArgs) {
  return apiHandler(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId } = await requireApiPrincipal(request);
    const { batch } = parseBatch(eventBatch, await readJson(request), 'batch', 'messages');
    const result = await insertEvents(getDb().$client, tenantId, batch, new Date());
    // Only identify messages change who a customer is (ingest); track events feed segments and journeys (activation).
    if (result.inserted && batch.some((m) => m.type === 'identify')) signalIngest(tenantId);
    // Track events move segment memberships and fire journey entries, waits and goals.
    if (result.inserted && batch.some((m) => m.type === 'track')) signalActivation(tenantId);
    return json(result, { status: 200 });
  });
}
