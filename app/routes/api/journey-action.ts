import { z } from 'zod';
import { publishJourneyRequest } from '#core/api/journeys.ts';
import { UserError } from '#core/errors.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { json, methodNotAllowed } from '#app/server/http.server.ts';
import {
  duplicateJourneyFor,
  journeyApiHandler,
  publishJourneyFor,
  readOptionalJson,
  transitionJourneyFor,
  validateJourneyFor,
} from '#app/server/journeys.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/journey-action';

const ACTIONS = ['validate', 'publish', 'pause', 'resume', 'archive', 'duplicate'] as const;
const duplicateRequest = z.object({ name: z.string().trim().min(1).max(200).optional() }).strict();

export const loader = () => methodNotAllowed(['POST']);

/** POST /api/v1/journeys/{id}/validate|publish|pause|resume|archive|duplicate. */
export async function action({ request, params }: Route.ActionArgs) {
  return journeyApiHandler(async () => {
    const act = ACTIONS.find((a) => a === params.action);
    if (!act) throw new UserError('not_found', `No such journey action "${params.action}"; use one of ${ACTIONS.join(', ')}.`, 404);
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    switch (act) {
      case 'validate':
        return json(await validateJourneyFor(tenantId, params.id));
      case 'publish': {
        const body = parseOr400(publishJourneyRequest, await readOptionalJson(request), 'publish request');
        const r = await publishJourneyFor(tenantId, params.id, { enterCurrentMembers: body.enterCurrentMembers, publishedBy: `api-key:${apiKeyId}` });
        return json(r, { status: r.created ? 201 : 200 });
      }
      case 'duplicate': {
        const body = parseOr400(duplicateRequest, await readOptionalJson(request), 'duplicate request');
        return json(await duplicateJourneyFor(tenantId, params.id, body.name), { status: 201 });
      }
      default:
        return json(await transitionJourneyFor(tenantId, params.id, act));
    }
  });
}
