import { z } from 'zod';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { apiHandler, json } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import { messageLogFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/customer-messages';

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), before: z.iso.datetime({ offset: true }).optional() });

/** The customer's message log, newest first, each message with its events (open, click, unsubscribe, bounce). */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const q = parseOr400(query, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json(await messageLogFor(tenantId, params.id, { limit: q.limit, before: q.before ? new Date(q.before) : undefined }));
  });
}
