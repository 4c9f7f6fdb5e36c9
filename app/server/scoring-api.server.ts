// The scoring API's handlers: start a run, list runs, one run; shared by the resource routes and the Analytics page.
import type { ScoringRunView } from '#core/api/scoring.ts';
import { UserError } from '#core/errors.ts';
import { getScoringRun, listScoringRuns, type RunRow } from '#db/queries/scoring.ts';
import { workflowUiUrl } from './identity.server.ts';
import { scoringDeps, startScoringRun, type ScoringDeps } from './scoring.server.ts';

export function runView(r: RunRow): ScoringRunView {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    asOf: r.asOf,
    workflowId: r.workflowId,
    workflowRunId: r.workflowRunId,
    parameters: r.parameters,
    diagnostics: r.diagnostics,
    steps: r.steps,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : null,
    error: r.error,
  };
}

/** Starts a run; `asOf` in the future is refused (scores cannot see orders that do not exist yet). */
export async function runScoringNow(tenantId: string, asOf: string | undefined, deps: ScoringDeps = scoringDeps()) {
  if (asOf && Date.parse(asOf) > Date.now() + 60_000)
    throw new UserError('invalid_request', 'asOf is in the future.', 400, [{ path: 'asOf', message: 'Must not be later than now' }]);
  const started = await startScoringRun(deps, tenantId, { asOf: asOf ? new Date(asOf).toISOString() : undefined });
  return { ...started, temporalUiUrl: workflowUiUrl(started.workflowId) };
}

export async function scoringRuns(tenantId: string, limit: number, deps: Pick<ScoringDeps, 'db'> = scoringDeps()) {
  return (await listScoringRuns(deps.db.$client, tenantId, limit)).map(runView);
}

export async function scoringRun(tenantId: string, id: string, deps: Pick<ScoringDeps, 'db'> = scoringDeps()) {
  const r = await getScoringRun(deps.db.$client, tenantId, id);
  if (!r) throw new UserError('not_found', `No scoring run ${id}.`, 404);
  return runView(r);
}
