// An experiment's results as of an instant: per variant and metric, the sufficient statistics (n, Σx, Σx², ratio
// cross-products, the pre-period for CUPED) computed set-based in PostgreSQL, then analyzed by the pure
// core/experiments/analyze.ts. Every window starts at the customer's own first exposure; nothing customer-level
// leaves the database. Events reach customers through their 'events' source profile (as segments read them).
import type pg from 'pg';
import { UserError } from '#core/errors.ts';
import { analyzeExperiment, type ArmStats, type MetricStatsInput } from '#core/experiments/analyze.ts';
import { HOLDOUT, variantsOf, type ExperimentDefinition, type MetricDefinition } from '#core/experiments/definition.ts';
import type { ExperimentResults } from '#core/experiments/results.ts';
import { compileEventPropertyFilters } from '#core/segments/compile.ts';
import { segmentSqlSchema } from '#core/segments/sql-schema.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface ExperimentMetricRow {
  id: string;
  key: string;
  name: string;
  definition: MetricDefinition;
  higherIsBetter: boolean;
}

interface StatsRow {
  variant: string;
  n: string;
  sum: number;
  sum_sq: number;
  d_sum: number;
  d_sum_sq: number;
  xd_sum: number;
  pre_sum: number;
  pre_sum_sq: number;
  xpre_sum: number;
}

/**
 * The facts a metric counts, as `(customer_id, at, amount)` rows (amount: 1 per event/order for conversions, order
 * revenue in minor units, 1 per opened/clicked message). `x` is the exposures CTE, so only exposed customers' facts
 * are read; params continue after $1 tenant, $2 experiment, $3 asOf.
 */
function factsSql(def: MetricDefinition, params: unknown[], now: Date): string {
  const excluded = () => `lower(o.status) <> all($${params.push(segmentSqlSchema.excludedOrderStatuses)}::text[])`;
  switch (def.type) {
    case 'conversion':
      if (def.source.kind === 'order') return `select o.customer_id, o.placed_at as at, 1::float8 as amount from orders o join x on x.customer_id = o.customer_id where o.tenant_id = $1 and ${excluded()}`;
      {
        const event = `$${params.push(def.source.match.event)}::text`;
        const filters = compileEventPropertyFilters(def.source.match.where, 'e', { tenantId: '', now }, params);
        return `select sp.customer_id, e.timestamp as at, 1::float8 as amount
                  from x join source_profiles sp on sp.tenant_id = $1 and sp.source = 'events' and sp.customer_id = x.customer_id
                  join events e on e.tenant_id = $1 and e.user_id = sp.external_id
                 where e.type = 'track' and e.event = ${event}${filters.map((f) => ` and ${f}`).join('')}`;
      }
    case 'revenue_per_customer':
    case 'average_order_value':
      return `select o.customer_id, o.placed_at as at, o.total_minor::float8 as amount from orders o join x on x.customer_id = o.customer_id where o.tenant_id = $1 and ${excluded()}`;
    case 'email_open_rate':
    case 'email_click_rate': {
      // A message counts when it was sent in the window; it converts when opened/clicked by asOf.
      const col = def.type === 'email_open_rate' ? 'opened_at' : 'clicked_at';
      return `select m.customer_id, coalesce(m.sent_at, m.created_at) as at, (m.${col} is not null and m.${col} <= $3::timestamptz)::int::float8 as amount
                from messages m join x on x.customer_id = m.customer_id
               where m.tenant_id = $1 and m.channel = 'email' and m.status = 'sent'`;
    }
  }
}

/**
 * Per variant (holdout excluded): n exposed by asOf and the sums of the per-customer value over the window
 * [exposed_at, exposed_at + window) cut at asOf; for AOV the order count as denominator; for CUPED the same value
 * over the window of the same length before exposure.
 */
export async function experimentStats(q: Queryable, tenantId: string, experimentId: string, def: MetricDefinition, asOf: Date): Promise<Record<string, ArmStats>> {
  const params: unknown[] = [tenantId, experimentId, asOf.toISOString()];
  const facts = factsSql(def, params, asOf);
  const win = `make_interval(hours => $${params.push(def.windowHours)}::int)`;
  // Per-customer value (post) and denominator / pre-period value.
  const value = {
    conversion: ['(post_n > 0)::int', '0', '(pre_n > 0)::int'],
    revenue_per_customer: ['post_sum', '0', 'pre_sum'],
    average_order_value: ['post_sum', 'post_n', '0'],
    email_open_rate: ['(post_sum > 0)::int', '0', '(pre_sum > 0)::int'],
    email_click_rate: ['(post_sum > 0)::int', '0', '(pre_sum > 0)::int'],
  }[def.type];
  const { rows } = await q.query<StatsRow>(
    `with x as materialized (
       select customer_id, variant, exposed_at from experiment_exposures
        where experiment_id = $2 and tenant_id = $1 and variant <> '${HOLDOUT}' and exposed_at <= $3),
     f as (${facts}),
     per as (
       select x.customer_id, x.variant,
              count(*) filter (where f.at >= x.exposed_at)::float8 as post_n,
              coalesce(sum(f.amount) filter (where f.at >= x.exposed_at), 0)::float8 as post_sum,
              count(*) filter (where f.at < x.exposed_at)::float8 as pre_n,
              coalesce(sum(f.amount) filter (where f.at < x.exposed_at), 0)::float8 as pre_sum
         from x join f on f.customer_id = x.customer_id
          and f.at >= x.exposed_at - ${win} and f.at < least(x.exposed_at + ${win}, $3::timestamptz)
        group by x.customer_id, x.variant),
     v as (select customer_id, variant, ${value[0]}::float8 as x, ${value[1]}::float8 as d, ${value[2]}::float8 as pre from per),
     s as (select variant, sum(x) as sum, sum(x * x) as sum_sq, sum(d) as d_sum, sum(d * d) as d_sum_sq, sum(x * d) as xd_sum,
                  sum(pre) as pre_sum, sum(pre * pre) as pre_sum_sq, sum(x * pre) as xpre_sum
             from v group by variant),
     n as (select variant, count(*) as n from x group by variant)
     select n.variant, n.n, coalesce(s.sum, 0) as sum, coalesce(s.sum_sq, 0) as sum_sq, coalesce(s.d_sum, 0) as d_sum, coalesce(s.d_sum_sq, 0) as d_sum_sq,
            coalesce(s.xd_sum, 0) as xd_sum, coalesce(s.pre_sum, 0) as pre_sum, coalesce(s.pre_sum_sq, 0) as pre_sum_sq, coalesce(s.xpre_sum, 0) as xpre_sum
       from n left join s using (variant)`,
    params,
  );
  const out: Record<string, ArmStats> = {};
  for (const r of rows) {
    const arm: ArmStats = { n: Number(r.n), sum: Number(r.sum), sumSquares: Number(r.sum_sq) };
    if (def.type === 'average_order_value') arm.denominator = { sum: Number(r.d_sum), sumSquares: Number(r.d_sum_sq), crossSum: Number(r.xd_sum) };
    else arm.pre = { sum: Number(r.pre_sum), sumSquares: Number(r.pre_sum_sq), crossSum: Number(r.xpre_sum) };
    out[r.variant] = arm;
  }
  return out;
}

/** Exposed customers per label (variant keys and 'holdout') by asOf. */
export async function exposureCounts(q: Queryable, tenantId: string, experimentId: string, asOf: Date): Promise<Record<string, number>> {
  const { rows } = await q.query<{ variant: string; n: string }>(
    `select variant, count(*) as n from experiment_exposures where experiment_id = $2 and tenant_id = $1 and exposed_at <= $3 group by variant`,
    [tenantId, experimentId, asOf.toISOString()],
  );
  return Object.fromEntries(rows.map((r) => [r.variant, Number(r.n)]));
}

export async function computeExperimentResults(q: Queryable, tenantId: string, experimentId: string, asOf: Date): Promise<ExperimentResults> {
  const exp = await q.query<{ definition: ExperimentDefinition }>(`select definition from experiments where tenant_id = $1 and id = $2`, [tenantId, experimentId]);
  if (!exp.rows[0]) throw new UserError('not_found', 'No such experiment.', 404);
  const def = exp.rows[0].definition;
  const metricIds = [def.primaryMetricId, ...def.guardrailMetricIds.filter((m) => m !== def.primaryMetricId)];
  const found = await q.query<ExperimentMetricRow>(
    `select id, key, name, definition, higher_is_better as "higherIsBetter" from experiment_metrics where tenant_id = $1 and id = any($2::uuid[])`,
    [tenantId, metricIds],
  );
  const byId = new Map(found.rows.map((m) => [m.id, m]));
  const exposures = await exposureCounts(q, tenantId, experimentId, asOf);
  const metrics: MetricStatsInput[] = [];
  for (const [i, id] of metricIds.entries()) {
    const m = byId.get(id);
    if (!m) continue; // a deleted guardrail (the API refuses deleting a metric in use; this is only defensive)
    metrics.push({ metricId: m.id, key: m.key, name: m.name, type: m.definition.type, role: i === 0 ? 'primary' : 'guardrail', higherIsBetter: m.higherIsBetter, arms: await experimentStats(q, tenantId, experimentId, m.definition, asOf) });
  }
  const variants = variantsOf(def.design);
  return analyzeExperiment({
    asOf: asOf.toISOString(),
    variants,
    ...(def.design.kind === 'multivariate' ? { factors: def.design.factors.map((f) => ({ name: f.key, levels: f.levels.map((l) => l.key) })) } : {}),
    exposures: Object.fromEntries(variants.map((v) => [v.key, exposures[v.key] ?? 0])),
    holdoutUnits: exposures[HOLDOUT] ?? 0,
    metrics,
    analysis: def.analysis,
    minSamplePerVariant: def.minSamplePerVariant,
  });
}
