import { assignRequest, stopRequest, winnerRequest } from '#core/api/openapi/experiments.ts';
import { UserError } from '#core/errors.ts';
import { requireApiPrincipal } from '#app/server/api-auth.server.ts';
import { assignFor, declareWinnerFor, evaluateExperimentFor, startExperimentFor, stopExperimentFor } from '#app/server/experiments.server.ts';
import { apiHandler, json, methodNotAllowed, readJson } from '#app/server/http.server.ts';
import { readOptionalJson } from '#app/server/journeys.server.ts';
import { parseOr400 } from '#app/server/validate.server.ts';
import type { Route } from './+types/experiment-action';

const ACTIONS = ['start', 'stop', 'winner', 'evaluate', 'assign'] as const;

export const loader = () => methodNotAllowed(['POST']);

/** POST /api/v1/experiments/{id}/start|stop|winner|evaluate|assign. */
export async function action({ request, params }: Route.ActionArgs) {
  return apiHandler(async () => {
    const act = ACTIONS.find((a) => a === params.action);
    if (!act) throw new UserError('not_found', `No such experiment action "${params.action}"; use one of ${ACTIONS.join(', ')}.`, 404);
    if (request.method !== 'POST') return methodNotAllowed(['POST']);
    const { tenantId, apiKeyId } = await requireApiPrincipal(request);
    const by = `api-key:${apiKeyId}`;
    switch (act) {
      case 'start':
        return json(await startExperimentFor(tenantId, params.id));
      case 'stop': {
        const body = parseOr400(stopRequest, await readOptionalJson(request), 'stop request');
        return json(await stopExperimentFor(tenantId, params.id, { reason: body.reason, by }));
      }
      case 'winner': {
        const body = parseOr400(winnerRequest, await readJson(request), 'winner');
        return json(await declareWinnerFor(tenantId, params.id, { variant: body.variant, reason: body.reason, by }));
      }
      case 'evaluate':
        return json(await evaluateExperimentFor(tenantId, params.id), { status: 202 });
      case 'assign': {
        const body = parseOr400(assignRequest, await readJson(request), 'assignment');
        return json(await assignFor(tenantId, params.id, body.customerId));
      }
    }
  });
}
