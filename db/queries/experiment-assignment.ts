// Sticky assignment with exposure logging: the one place a customer gets a variant of an experiment, used by
// journeys' experiment node (activity), campaign sends and POST /experiments/{id}/assign. The first exposure is
// inserted on conflict do nothing, so concurrent or retried calls agree and later weight changes reshuffle nobody.
import type pg from 'pg';
import { UserError } from '#core/errors.ts';
import { HOLDOUT, variantsOf, type ExperimentDefinition, type ExperimentStatus } from '#core/experiments/definition.ts';
import { assignVariant } from '#core/journeys/experiment.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface Assignment {
  /** A variant key, or 'holdout'. */
  variant: string;
  /** True when this call recorded the customer's first exposure. */
  firstExposure: boolean;
  /** Whether the answer counts in the results: false once a winner is chosen or when not running. */
  counted: boolean;
  status: ExperimentStatus;
}

interface ExperimentHead {
  status: ExperimentStatus;
  definition: ExperimentDefinition;
  winnerVariant: string | null;
}

export async function experimentHead(q: Queryable, tenantId: string, experimentId: string): Promise<ExperimentHead> {
  const { rows } = await q.query<ExperimentHead>(
    `select status, definition, winner_variant as "winnerVariant" from experiments where tenant_id = $1 and id = $2`,
    [tenantId, experimentId],
  );
  if (!rows[0]) throw new UserError('not_found', 'No such experiment.', 404);
  return rows[0];
}

/** The variant a customer would get right now, before exposure bookkeeping. Pure given the head. */
export function draw(experimentId: string, customerId: string, head: ExperimentHead): string {
  const variants = variantsOf(head.definition.design).map((v) => ({ id: v.key, weight: v.weight }));
  const a = assignVariant(experimentId, customerId, variants, head.definition.holdoutPercent);
  return a.kind === 'holdout' ? HOLDOUT : a.variantId;
}

/**
 * Running: the recorded variant, or a fresh draw recorded as the first exposure. Completed (a winner): the winner for
 * everyone, not recorded. Draft, scheduled or stopped: the control, not recorded.
 */
export async function assignExperimentVariant(
  q: Queryable,
  o: { tenantId: string; experimentId: string; customerId: string; source: 'journey' | 'campaign' | 'api'; at?: Date },
): Promise<Assignment> {
  const head = await experimentHead(q, o.tenantId, o.experimentId);
  if (head.winnerVariant) return { variant: head.winnerVariant, firstExposure: false, counted: false, status: head.status };
  if (head.status !== 'running') return { variant: variantsOf(head.definition.design)[0]!.key, firstExposure: false, counted: false, status: head.status };
  const variant = draw(o.experimentId, o.customerId, head);
  const { rows } = await q.query<{ variant: string; first: boolean }>(
    `with ins as (
       insert into experiment_exposures (experiment_id, customer_id, tenant_id, variant, exposed_at, source)
       values ($1, $2, $3, $4, coalesce($5::timestamptz, now()), $6)
       on conflict (experiment_id, customer_id) do nothing
       returning variant)
     select variant, true as first from ins
     union all
     select variant, false from experiment_exposures where experiment_id = $1 and customer_id = $2`,
    [o.experimentId, o.customerId, o.tenantId, variant, o.at?.toISOString() ?? null, o.source],
  );
  const row = rows[0]!;
  return { variant: row.variant, firstExposure: row.first, counted: true, status: head.status };
}
