import { z } from 'zod';
import { listReviews } from '#db/queries/identity-reviews.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { apiHandler, json, methodNotAllowed } from '#app/server/http.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/reviews';

const query = z.object({
  status: z.enum(['open', 'merged', 'rejected', 'obsolete']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d+$/).optional(),
});

/** Probable matches waiting for a decision, most probable first. */
export async function loader({ request }: Route.LoaderArgs) {
  return apiHandler(async () => {
    const { tenantId } = await requireApiPrincipal(request);
    const q = parseOr400(query, Object.fromEntries(new URL(request.url).searchParams), 'query');
    return json(await listReviews(getDb(), tenantId, { status: q.status, limit: q.limit, offset: Number(q.cursor ?? 0) }));
  });
}

export const action = () => methodNotAllowed(['GET']);
