// Status transitions that end an experiment, shared by the API (stop, declare a winner by hand) and the workflow
// (automatic winner, end date). Only a scheduled or running experiment can end, and only once: a second call is a
// no-op that returns the decision already recorded, so an API call and the workflow's own decision never disagree.
import type pg from 'pg';
import { UserError } from '#core/errors.ts';
import type { ExperimentDecisionRecord } from '#core/experiments/results.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface DecisionOutcome {
  /** False when the experiment had already ended (the stored decision is returned). */
  applied: boolean;
  decision: ExperimentDecisionRecord | null;
}

export async function recordExperimentDecision(q: Queryable, tenantId: string, experimentId: string, d: ExperimentDecisionRecord): Promise<DecisionOutcome> {
  if (d.kind === 'winner' && !d.variant) throw new UserError('invalid_request', 'A winner decision names its variant.', 400, [{ path: 'variant', message: 'Required' }]);
  const { rows } = await q.query<{ decision: ExperimentDecisionRecord }>(
    `update experiments set status = $3, winner_variant = $4, decision = $5::jsonb, ended_at = $6::timestamptz, updated_at = now()
     where tenant_id = $1 and id = $2 and status in ('scheduled', 'running')
     returning decision`,
    [tenantId, experimentId, d.kind === 'winner' ? 'completed' : 'stopped', d.kind === 'winner' ? d.variant : null, JSON.stringify(d), d.at],
  );
  if (rows[0]) return { applied: true, decision: rows[0].decision };
  const current = await q.query<{ status: string; decision: ExperimentDecisionRecord | null }>(`select status, decision from experiments where tenant_id = $1 and id = $2`, [tenantId, experimentId]);
  if (!current.rows[0]) throw new UserError('not_found', 'No such experiment.', 404);
  if (current.rows[0].status === 'draft') throw new UserError('experiment_not_running', 'The experiment has not started.', 409);
  return { applied: false, decision: current.rows[0].decision };
}
