// Scoring's set-based SQL: per-customer order summaries and RFM quintiles in one pass over the orders, keyset
// batches of them for the JavaScript models, co-purchase neighbours, and the writes of scores, history and events.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CustomerScoresView } from '#core/api/scoring.ts';
import { INVALID_ORDER_STATUSES } from '#core/scoring/settings.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface RunRow {
  id: string;
  tenantId: string;
  trigger: 'schedule' | 'manual';
  workflowId: string;
  workflowRunId: string | null;
  asOf: string;
  status: 'running' | 'succeeded' | 'failed';
  parameters: Record<string, unknown>;
  diagnostics: Record<string, unknown>;
  steps: { step: string; ms: number }[];
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

const iso = (col: string, as: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "${as}"`;
const RUN_COLUMNS = `id, tenant_id as "tenantId", trigger, workflow_id as "workflowId", workflow_run_id as "workflowRunId", ${iso('as_of', 'asOf')},
  status, parameters, diagnostics, steps, ${iso('started_at', 'startedAt')}, ${iso('finished_at', 'finishedAt')}, error`;

/** Records the start of a run; a retried call finds the row it already wrote. */
export async function beginScoringRun(q: Queryable, r: { id: string; tenantId: string; trigger: 'schedule' | 'manual'; workflowId: string; workflowRunId: string; asOf: string; parameters: Record<string, unknown> }): Promise<RunRow> {
  await q.query(
    `insert into scoring_runs (id, tenant_id, trigger, workflow_id, workflow_run_id, as_of, parameters)
     values ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb)
     on conflict (id) do update set parameters = scoring_runs.parameters || excluded.parameters, workflow_run_id = coalesce(scoring_runs.workflow_run_id, excluded.workflow_run_id)`,
    [r.id, r.tenantId, r.trigger, r.workflowId, r.workflowRunId, r.asOf, JSON.stringify(r.parameters)],
  );
  return (await getScoringRun(q, r.tenantId, r.id))!;
}

export async function getScoringRun(q: Queryable, tenantId: string, id: string): Promise<RunRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const r = await q.query<RunRow>(`select ${RUN_COLUMNS} from scoring_runs where tenant_id = $1 and id = $2`, [tenantId, id]);
  return r.rows[0];
}

export async function listScoringRuns(q: Queryable, tenantId: string, limit = 50): Promise<RunRow[]> {
  const r = await q.query<RunRow>(`select ${RUN_COLUMNS} from scoring_runs where tenant_id = $1 order by started_at desc, id limit $2`, [tenantId, limit]);
  return r.rows;
}

/** Merges into the run's parameters / diagnostics and appends step timings (jsonb concatenation: retries overwrite). */
export async function updateScoringRun(
  q: Queryable,
  tenantId: string,
  id: string,
  u: { parameters?: Record<string, unknown>; diagnostics?: Record<string, unknown>; step?: { step: string; ms: number }; status?: 'succeeded' | 'failed'; error?: string | null },
): Promise<void> {
  await q.query(
    `update scoring_runs set
       parameters = parameters || coalesce($3::jsonb, '{}'::jsonb),
       diagnostics = diagnostics || coalesce($4::jsonb, '{}'::jsonb),
       steps = case when $5::jsonb is null then steps
                    else (select coalesce(jsonb_agg(s), '[]'::jsonb) from jsonb_array_elements(steps) s where s->>'step' <> $5::jsonb->>'step') || jsonb_build_array($5::jsonb) end,
       status = coalesce($6, status),
       error = case when $6 is null then error else $7 end,
       finished_at = case when $6 is null then finished_at else now() end
     where tenant_id = $1 and id = $2`,
    [
      tenantId,
      id,
      u.parameters ? JSON.stringify(u.parameters) : null,
      u.diagnostics ? JSON.stringify(u.diagnostics) : null,
      u.step ? JSON.stringify(u.step) : null,
      u.status ?? null,
      u.error ?? null,
    ],
  );
}

/** The newest finished run whose BG/NBD and Gamma–Gamma parameters came from a good fit (for the fallback). */
export async function lastGoodModel(q: Queryable, tenantId: string, beforeRunId: string): Promise<{ runId: string; bgnbd: unknown; gammaGamma: unknown } | undefined> {
  const r = await q.query<{ runId: string; bgnbd: unknown; gammaGamma: unknown }>(
    `select id as "runId", parameters->'bgnbd' as bgnbd, parameters->'gammaGamma' as "gammaGamma" from scoring_runs
     where tenant_id = $1 and id <> $2 and status = 'succeeded' and parameters ? 'bgnbd' and parameters->'bgnbd' <> 'null'::jsonb
     order by started_at desc limit 1`,
    [tenantId, beforeRunId],
  );
  return r.rows[0];
}

/**
 * Step 1, one statement: valid orders up to asOf → one row per customer with counts, revenue, BG/NBD summary
 * (purchase days in the tenant's time zone, as lifetimes counts them), the gaps the lifecycle needs, and RFM
 * quintiles. NTILE(5) with a deterministic tie-breaker: value, then customer id. R orders by days since the
 * last order descending, so the most recent customers get 5; F and M count the trailing RFM window.
 */
export async function buildScoringWork(
  q: Queryable,
  p: { tenantId: string; runId: string; asOf: string; timeZone: string; rfmWindowDays: number; reactivationGapDays: number },
): Promise<{ customers: number }> {
  await q.query('delete from scoring_work where run_id = $1', [p.runId]);
  // A nightly batch over every order: give its sorts memory rather than temporary files (this transaction only).
  await q.query(`set local work_mem = '256MB'`);
  const r = await q.query(
    `insert into scoring_work (run_id, customer_id, tenant_id, orders, orders365, revenue_minor, window_orders, window_revenue_minor,
       first_order_at, last_order_at, first_day, last_day, x, tx_days, t_days, mbar_minor, last_gap_days, reactivation_day, r, f, m)
     with o as (
       select customer_id, placed_at, total_minor, (placed_at at time zone $4)::date as d
       from orders
       where tenant_id = $1 and customer_id is not null and placed_at <= $3::timestamptz and lower(status) <> all($5::text[])
     ), days as (
       -- One sort by (customer, day) serves the grouping and every window below.
       select customer_id, d, count(*) as n, sum(total_minor) as amt, min(placed_at) as first_at, max(placed_at) as last_at,
         count(*) filter (where placed_at > $3::timestamptz - interval '365 days') as n365,
         count(*) filter (where placed_at > $3::timestamptz - make_interval(days => $6)) as nw,
         coalesce(sum(total_minor) filter (where placed_at > $3::timestamptz - make_interval(days => $6)), 0) as amtw,
         d - lag(d) over w as gap,
         row_number() over w as k,
         count(*) over (partition by customer_id) as days_n,
         first_value(sum(total_minor)) over w as first_amt
       from o group by customer_id, d
       window w as (partition by customer_id order by d)
     ), c as (
       select customer_id, sum(n)::int as orders, sum(n365)::int as orders365, sum(amt)::bigint as revenue,
         sum(nw)::int as nw, sum(amtw)::bigint as amtw, min(first_at) as first_at, max(last_at) as last_at,
         min(d) as first_day, max(d) as last_day, (count(*) - 1)::int as x, (max(d) - min(d))::int as tx_days,
         (($3::timestamptz at time zone $4)::date - min(d))::int as t_days,
         case when count(*) > 1 then (sum(amt) - min(first_amt))::float8 / (count(*) - 1) else 0 end as mbar,
         max(gap) filter (where k = days_n)::int as last_gap,
         max(d) filter (where gap > $7) as reactivation_day
       from days group by customer_id
     )
     select $2::uuid, customer_id, $1::uuid, orders, orders365, revenue, nw, amtw, first_at, last_at, first_day, last_day, x, tx_days, t_days, mbar,
       last_gap, reactivation_day,
       ntile(5) over (order by last_day asc, customer_id asc),
       ntile(5) over (order by nw asc, customer_id asc),
       ntile(5) over (order by amtw asc, customer_id asc)
     from c`,
    [p.tenantId, p.runId, p.asOf, p.timeZone, [...INVALID_ORDER_STATUSES], p.rfmWindowDays, p.reactivationGapDays],
  );
  return { customers: r.rowCount ?? 0 };
}

// Fits run on every customer up to `sample`; above that on a deterministic pseudo-random sample of that size
// (md5 of the id): the likelihood's cost grows with the rows, the parameters' precision barely does.
const SAMPLE = `(select * from scoring_work where run_id = $1 order by case when $2::int >= (select count(*) from scoring_work where run_id = $1) then 0 end, md5(customer_id::text) limit $2)`;

/** BG/NBD input compressed to distinct (x, t_x, T) rows with a weight. */
export async function bgNbdSummaries(q: Queryable, runId: string, sample: number): Promise<{ x: number; txDays: number; tDays: number; n: number }[]> {
  const r = await q.query<{ x: number; txDays: number; tDays: number; n: number }>(
    `select x, tx_days as "txDays", t_days as "tDays", count(*)::int as n from ${SAMPLE} w group by 1, 2, 3`,
    [runId, sample],
  );
  return r.rows;
}

/** Gamma–Gamma input: repeat customers' (x, mean repeat-day spend in minor units), compressed. */
export async function gammaGammaSummaries(q: Queryable, runId: string, sample: number): Promise<{ x: number; mbarMinor: number; n: number }[]> {
  const r = await q.query<{ x: number; mbarMinor: number; n: number }>(
    `select x, mbar_minor as "mbarMinor", count(*)::int as n from ${SAMPLE} w where x > 0 and mbar_minor > 0 group by 1, 2`,
    [runId, sample],
  );
  return r.rows;
}

export interface WorkRow {
  customerId: string;
  orders: number;
  orders365: number;
  revenueMinor: number;
  firstOrderAt: string;
  lastOrderAt: string;
  x: number;
  txDays: number;
  tDays: number;
  mbarMinor: number;
  daysSinceLastOrder: number;
  lastGapDays: number | null;
  daysSinceReactivation: number | null;
  r: number;
  f: number;
  m: number;
  windowOrders: number;
  windowRevenueMinor: number;
  prev: {
    lifecycleState: string;
    lifecycleSince: string;
    rfmSegment: string | null;
    pAlive: number | null;
    churnEpisodeOpen: boolean;
    runId: string;
    clv1yMinor: number | null;
    churnRisk: number | null;
    r: number | null;
    f: number | null;
    m: number | null;
  } | null;
}

/** The next keyset batch of the run's work rows, with each customer's current (previous run's) scores. */
export async function workBatch(q: Queryable, p: { runId: string; asOf: string; timeZone: string; after: string | null; limit: number }): Promise<WorkRow[]> {
  const r = await q.query<WorkRow>(
    `select w.customer_id as "customerId", w.orders, w.orders365, w.revenue_minor as "revenueMinor",
       ${iso('w.first_order_at', 'firstOrderAt')}, ${iso('w.last_order_at', 'lastOrderAt')},
       w.x, w.tx_days as "txDays", w.t_days as "tDays", w.mbar_minor as "mbarMinor",
       (($2::timestamptz at time zone $3)::date - w.last_day)::int as "daysSinceLastOrder",
       w.last_gap_days as "lastGapDays",
       (($2::timestamptz at time zone $3)::date - w.reactivation_day)::int as "daysSinceReactivation",
       w.r, w.f, w.m, w.window_orders as "windowOrders", w.window_revenue_minor as "windowRevenueMinor",
       case when s.customer_id is null then null else jsonb_build_object(
         'lifecycleState', s.lifecycle_state, 'lifecycleSince', s.lifecycle_since, 'rfmSegment', s.rfm_segment, 'pAlive', s.p_alive,
         'churnEpisodeOpen', s.churn_episode_open, 'runId', s.run_id, 'clv1yMinor', s.clv1y_minor, 'churnRisk', s.churn_risk,
         'r', s.r, 'f', s.f, 'm', s.m) end as prev
     from scoring_work w left join customer_scores s on s.customer_id = w.customer_id
     where w.run_id = $1 and ($4::uuid is null or w.customer_id > $4::uuid)
     order by w.customer_id limit $5`,
    [p.runId, p.asOf, p.timeZone, p.after, p.limit],
  );
  return r.rows;
}

export interface CategoryStat {
  customerId: string;
  category: string;
  orders: number;
  spendMinor: number;
  daysSinceLast: number;
}

/** Per customer and category, valid orders up to `asOf` (category from the product, else the order line). */
export async function categoryStats(q: Queryable, p: { tenantId: string; customerIds: string[]; asOf: string }): Promise<CategoryStat[]> {
  const r = await q.query<CategoryStat>(
    `select o.customer_id as "customerId", coalesce(pr.category, oi.category) as category, count(distinct o.id)::int as orders,
       sum(oi.total_minor)::bigint as "spendMinor", extract(day from $3::timestamptz - max(o.placed_at))::int as "daysSinceLast"
     from orders o
     -- Lines through the order-id index (lateral, not flattened): a sample's lines, not a hash of the tenant's.
     cross join lateral (select i.product_id, i.category, i.total_minor from order_items i where i.order_id = o.id offset 0) oi
     left join products pr on pr.id = oi.product_id
     where o.tenant_id = $1 and o.customer_id = any($2::uuid[]) and o.placed_at <= $3::timestamptz and lower(o.status) <> all($4::text[])
       and coalesce(pr.category, oi.category) is not null
     group by 1, 2`,
    [p.tenantId, p.customerIds, p.asOf, [...INVALID_ORDER_STATUSES]],
  );
  return r.rows;
}

/** One customer's order history as the customer step needs it (see batchHistory). */
export interface CustomerHistory {
  /** Per category: [category, orders, spend in minor units, days since the last order in it]. */
  categories: [string, number, number, number][];
  /** Distinct products bought, newest first (at most 30): [product id, bought in the recent window]. */
  products: [string, boolean][];
}

/**
 * Per-category stats (as categoryStats) and the newest distinct products, for a keyset batch in one pass: the valid order lines of the customers whose
 * ids lie in [fromId, toId] are joined once (an index range over the orders, not an id list), and folded to one
 * row per customer with JSON arrays (parsed natively: far cheaper than a row per customer and category).
 */
export async function batchHistory(
  q: Queryable,
  p: { tenantId: string; fromId: string; toId: string; asOf: string; recentDays: number; categories: boolean },
): Promise<Map<string, CustomerHistory>> {
  const r = await q.query<{ id: string; cats: CustomerHistory['categories'] | null; products: CustomerHistory['products'] | null }>(
    `with l as materialized (
       -- Lines by order id through its index (lateral, kept from being flattened): the planner would otherwise
       -- hash a scan of every order line of the tenant once per batch.
       select o.customer_id, o.id as order_id, o.placed_at, oi.product_id, coalesce(pr.category, oi.category) as cat, oi.total_minor
       from orders o
       cross join lateral (select i.product_id, i.category, i.total_minor from order_items i where i.order_id = o.id offset 0) oi
       left join products pr on pr.id = oi.product_id
       where o.tenant_id = $1 and o.customer_id >= $2::uuid and o.customer_id <= $3::uuid and o.placed_at <= $4::timestamptz
         and lower(o.status) <> all($6::text[])
     ), c as (
       select customer_id, json_agg(json_build_array(cat, n, spend, days)) as cats from (
         select customer_id, cat, count(distinct order_id)::int as n, sum(total_minor)::bigint as spend,
           extract(day from $4::timestamptz - max(placed_at))::int as days
         from l where $7::boolean and cat is not null group by 1, 2) x
       group by 1
     ), p as (
       select customer_id, json_agg(json_build_array(product_id, recent) order by k) as products from (
         select customer_id, product_id, max(placed_at) > $4::timestamptz - make_interval(days => $5) as recent,
           row_number() over (partition by customer_id order by max(placed_at) desc, product_id) as k
         from l where product_id is not null group by 1, 2) y
       where k <= 30 group by 1
     )
     select coalesce(c.customer_id, p.customer_id) as id, c.cats, p.products from c full join p on p.customer_id = c.customer_id`,
    [p.tenantId, p.fromId, p.toId, p.asOf, p.recentDays, [...INVALID_ORDER_STATUSES], p.categories],
  );
  return new Map(r.rows.map((x) => [x.id, { categories: x.cats ?? [], products: x.products ?? [] }]));
}

/**
 * Item-to-item co-purchase over the baskets (valid orders) of the trailing year: support, confidence, lift and
 * cosine per ordered pair, the 20 best neighbours (by cosine, then count) kept per product. Replaces the tenant's
 * previous neighbours in the caller's transaction.
 */
export async function rebuildNeighbours(q: Queryable, p: { tenantId: string; runId: string; asOf: string; minCount: number; perProduct: number }): Promise<{ baskets: number; pairs: number }> {
  await q.query('delete from product_neighbours where tenant_id = $1', [p.tenantId]);
  const r = await q.query<{ baskets: number; pairs: number }>(
    `with b as (
       select distinct oi.order_id, oi.product_id from order_items oi join orders o on o.id = oi.order_id
       where o.tenant_id = $1 and oi.product_id is not null and o.placed_at <= $3::timestamptz
         and o.placed_at > $3::timestamptz - interval '365 days' and lower(o.status) <> all($6::text[])
     ), n as (select count(distinct order_id)::float8 as n from b),
     ic as (select product_id, count(*)::float8 as c from b group by 1),
     pairs as (
       select b1.product_id as a, b2.product_id as bb, count(*)::int as c from b b1 join b b2 on b1.order_id = b2.order_id and b1.product_id <> b2.product_id
       group by 1, 2 having count(*) >= $4
     ), ranked as (
       select pairs.a, pairs.bb, pairs.c, pairs.c / n.n as support, pairs.c / ia.c as confidence, pairs.c * n.n / (ia.c * ib.c) as lift,
         pairs.c / sqrt(ia.c * ib.c) as cosine,
         row_number() over (partition by pairs.a order by pairs.c / sqrt(ia.c * ib.c) desc, pairs.c desc, pairs.bb) as rank
       from pairs cross join n join ic ia on ia.product_id = pairs.a join ic ib on ib.product_id = pairs.bb
     ), ins as (
       insert into product_neighbours (tenant_id, product_id, neighbour_id, count, support, confidence, lift, cosine, rank, run_id)
       select $1, a, bb, c, support, confidence, lift, cosine, rank, $2 from ranked where rank <= $5
       returning 1
     )
     select (select n::int from n) as baskets, (select count(*)::int from ins) as pairs`,
    [p.tenantId, p.runId, p.asOf, p.minCount, p.perProduct, [...INVALID_ORDER_STATUSES]],
  );
  return r.rows[0] ?? { baskets: 0, pairs: 0 };
}

/** Best-selling products (distinct buyers) of the trailing 90 days: the popularity fallback. */
export async function popularProducts(q: Queryable, p: { tenantId: string; asOf: string; limit: number }): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `select oi.product_id as id from order_items oi join orders o on o.id = oi.order_id
     where o.tenant_id = $1 and oi.product_id is not null and o.placed_at <= $2::timestamptz and o.placed_at > $2::timestamptz - interval '90 days'
       and lower(o.status) <> all($4::text[])
     group by 1 order by count(distinct o.customer_id) desc, 1 limit $3`,
    [p.tenantId, p.asOf, p.limit, [...INVALID_ORDER_STATUSES]],
  );
  return r.rows.map((x) => x.id);
}

export async function neighboursOf(q: Queryable, tenantId: string, productIds: string[]): Promise<Map<string, { item: string; score: number }[]>> {
  const out = new Map<string, { item: string; score: number }[]>();
  if (!productIds.length) return out;
  const r = await q.query<{ a: string; b: string; score: number }>(
    `select product_id as a, neighbour_id as b, cosine as score from product_neighbours where tenant_id = $1 and product_id = any($2::uuid[]) order by product_id, rank`,
    [tenantId, productIds],
  );
  for (const x of r.rows) out.set(x.a, [...(out.get(x.a) ?? []), { item: x.b, score: x.score }]);
  return out;
}

/** Category → category co-purchase confidence P(b in basket | a in basket), over the year before `asOf`. */
export async function categoryConfidence(q: Queryable, p: { tenantId: string; asOf: string }): Promise<{ a: string; b: string; confidence: number }[]> {
  const r = await q.query<{ a: string; b: string; confidence: number }>(
    `with b as (
       select distinct oi.order_id, coalesce(pr.category, oi.category) as cat from order_items oi join orders o on o.id = oi.order_id
       left join products pr on pr.id = oi.product_id
       where o.tenant_id = $1 and o.placed_at <= $2::timestamptz and o.placed_at > $2::timestamptz - interval '365 days'
         and lower(o.status) <> all($3::text[]) and coalesce(pr.category, oi.category) is not null
     ), ic as (select cat, count(*)::float8 as c from b group by 1)
     select b1.cat as a, b2.cat as b, count(*) / ic.c as confidence
     from b b1 join b b2 on b1.order_id = b2.order_id and b1.cat <> b2.cat join ic on ic.cat = b1.cat
     group by b1.cat, b2.cat, ic.c`,
    [p.tenantId, p.asOf, [...INVALID_ORDER_STATUSES]],
  );
  return r.rows;
}

/** The tenant's categories by number of valid orders in the trailing year, most bought first. */
export async function topCategories(q: Queryable, p: { tenantId: string; asOf: string; limit: number }): Promise<string[]> {
  const r = await q.query<{ cat: string }>(
    `select coalesce(pr.category, oi.category) as cat from order_items oi join orders o on o.id = oi.order_id left join products pr on pr.id = oi.product_id
     where o.tenant_id = $1 and o.placed_at <= $2::timestamptz and o.placed_at > $2::timestamptz - interval '365 days'
       and lower(o.status) <> all($4::text[]) and coalesce(pr.category, oi.category) is not null
     group by 1 order by count(distinct o.id) desc, 1 limit $3`,
    [p.tenantId, p.asOf, p.limit, [...INVALID_ORDER_STATUSES]],
  );
  return r.rows.map((x) => x.cat);
}

/** A deterministic sample of customers with a valid order before `cutoff` (hash of the id), for training. */
export async function trainingCustomers(q: Queryable, p: { tenantId: string; cutoff: string; limit: number }): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `select customer_id as id from orders where tenant_id = $1 and customer_id is not null and placed_at <= $2::timestamptz and lower(status) <> all($4::text[])
     group by 1 order by md5(customer_id::text) limit $3`,
    [p.tenantId, p.cutoff, p.limit, [...INVALID_ORDER_STATUSES]],
  );
  return r.rows.map((x) => x.id);
}

/** Customer-level order counts and days since last order at `asOf` (for a given set of customers). */
export async function customerTotals(q: Queryable, p: { tenantId: string; customerIds: string[]; asOf: string }): Promise<Map<string, { orders: number; daysSinceLast: number }>> {
  const r = await q.query<{ id: string; orders: number; daysSinceLast: number }>(
    `select customer_id as id, count(*)::int as orders, extract(day from $3::timestamptz - max(placed_at))::int as "daysSinceLast"
     from orders where tenant_id = $1 and customer_id = any($2::uuid[]) and placed_at <= $3::timestamptz and lower(status) <> all($4::text[]) group by 1`,
    [p.tenantId, p.customerIds, p.asOf, [...INVALID_ORDER_STATUSES]],
  );
  return new Map(r.rows.map((x) => [x.id, { orders: x.orders, daysSinceLast: x.daysSinceLast }]));
}

/** Who bought in which category in (from, to]: the labels of the propensity back-test. */
export async function categoryBuyers(q: Queryable, p: { tenantId: string; customerIds: string[]; from: string; to: string }): Promise<Set<string>> {
  const r = await q.query<{ k: string }>(
    `select distinct o.customer_id || '|' || coalesce(pr.category, oi.category) as k
     from orders o
     cross join lateral (select i.product_id, i.category from order_items i where i.order_id = o.id offset 0) oi
     left join products pr on pr.id = oi.product_id
     where o.tenant_id = $1 and o.customer_id = any($2::uuid[]) and o.placed_at > $3::timestamptz and o.placed_at <= $4::timestamptz
       and lower(o.status) <> all($5::text[]) and coalesce(pr.category, oi.category) is not null`,
    [p.tenantId, p.customerIds, p.from, p.to, [...INVALID_ORDER_STATUSES]],
  );
  return new Set(r.rows.map((x) => x.k));
}

export interface ScoreWrite {
  customerId: string;
  orders: number;
  orders365: number;
  revenueMinor: number;
  currency: string;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmSegment: string | null;
  lifecycleState: string;
  lifecycleReason: string;
  lifecycleSince: string;
  clv1yMinor: number | null;
  clv3yMinor: number | null;
  clv5yMinor: number | null;
  expected30: number | null;
  expected90: number | null;
  expected365: number | null;
  pAlive: number | null;
  churnRisk: number | null;
  churnEpisodeOpen: boolean;
  propensity: Record<string, number>;
  recommendations: { productId: string; score: number; reason: string }[];
  nextBestAction: Record<string, unknown> | null;
  /** Write a history row (something the UI charts changed). */
  history: boolean;
}

export interface ScoreEventWrite {
  customerId: string;
  type: 'segment_entered' | 'segment_exited' | 'lifecycle_changed' | 'churn_risk_alert';
  subject: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** COPY text format: backslash, tab and line breaks escaped; \N is null. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const t = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[\\\t\n\r]/.test(t) ? t.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : t;
}

const STAGE_COLUMNS = `customer_id uuid, orders int, orders365 int, revenue_minor bigint, currency text, first_order_at timestamptz, last_order_at timestamptz,
  r smallint, f smallint, m smallint, rfm_segment text, lifecycle_state text, lifecycle_reason text, lifecycle_since timestamptz,
  clv1y_minor bigint, clv3y_minor bigint, clv5y_minor bigint, expected30 float8, expected90 float8, expected365 float8, p_alive float8, churn_risk float8,
  churn_episode_open boolean, propensity jsonb, recommendations jsonb, next_best_action jsonb, history boolean`;

/**
 * One batch of scores, their history rows and change events, in the caller's transaction; idempotent per run.
 * The rows are streamed with COPY into a temporary staging table (no WAL, no JSON to re-parse) and written from
 * there set-based: one upsert of the current scores, one insert of the history rows that changed.
 */
export async function writeScores(q: pg.ClientBase, p: { tenantId: string; runId: string; asOf: string }, rows: ScoreWrite[], events: ScoreEventWrite[]): Promise<void> {
  if (rows.length) {
    await q.query(`create temporary table if not exists scoring_score_stage (${STAGE_COLUMNS}) on commit delete rows`);
    let buf = '';
    const chunks: string[] = [];
    for (const x of rows) {
      buf +=
        [
          x.customerId, x.orders, x.orders365, x.revenueMinor, x.currency, x.firstOrderAt, x.lastOrderAt, x.r, x.f, x.m, x.rfmSegment, x.lifecycleState,
          x.lifecycleReason, x.lifecycleSince, x.clv1yMinor, x.clv3yMinor, x.clv5yMinor, x.expected30, x.expected90, x.expected365, x.pAlive, x.churnRisk,
          x.churnEpisodeOpen, x.propensity, x.recommendations, x.nextBestAction, x.history,
        ]
          .map(copyField)
          .join('\t') + '\n';
      if (buf.length >= 256 * 1024) {
        chunks.push(buf);
        buf = '';
      }
    }
    if (buf) chunks.push(buf);
    await pipeline(Readable.from(chunks), q.query(copyFrom('copy scoring_score_stage from stdin')));
    await q.query(
      `insert into customer_scores (customer_id, tenant_id, run_id, as_of, orders, orders365, revenue_minor, currency, first_order_at, last_order_at,
         r, f, m, rfm_segment, lifecycle_state, lifecycle_reason, lifecycle_since, clv1y_minor, clv3y_minor, clv5y_minor, expected30, expected90, expected365,
         p_alive, churn_risk, churn_episode_open, propensity, recommendations, next_best_action, scored_at)
       select x.customer_id, $1, $2, $3::timestamptz, x.orders, x.orders365, x.revenue_minor, x.currency, x.first_order_at, x.last_order_at,
         x.r, x.f, x.m, x.rfm_segment, x.lifecycle_state, x.lifecycle_reason, x.lifecycle_since, x.clv1y_minor, x.clv3y_minor, x.clv5y_minor,
         x.expected30, x.expected90, x.expected365, x.p_alive, x.churn_risk, x.churn_episode_open, x.propensity, x.recommendations, x.next_best_action, now()
       from scoring_score_stage x join customers c on c.id = x.customer_id
       on conflict (customer_id) do update set tenant_id = excluded.tenant_id, run_id = excluded.run_id, as_of = excluded.as_of, orders = excluded.orders,
         orders365 = excluded.orders365, revenue_minor = excluded.revenue_minor, currency = excluded.currency, first_order_at = excluded.first_order_at,
         last_order_at = excluded.last_order_at, r = excluded.r, f = excluded.f, m = excluded.m, rfm_segment = excluded.rfm_segment,
         lifecycle_state = excluded.lifecycle_state, lifecycle_reason = excluded.lifecycle_reason, lifecycle_since = excluded.lifecycle_since,
         clv1y_minor = excluded.clv1y_minor, clv3y_minor = excluded.clv3y_minor, clv5y_minor = excluded.clv5y_minor, expected30 = excluded.expected30,
         expected90 = excluded.expected90, expected365 = excluded.expected365, p_alive = excluded.p_alive, churn_risk = excluded.churn_risk,
         churn_episode_open = excluded.churn_episode_open, propensity = excluded.propensity, recommendations = excluded.recommendations,
         next_best_action = excluded.next_best_action, scored_at = excluded.scored_at`,
      [p.tenantId, p.runId, p.asOf],
    );
    if (rows.some((x) => x.history))
      await q.query(
        `insert into customer_score_history (customer_id, run_id, tenant_id, as_of, r, f, m, rfm_segment, lifecycle_state, clv1y_minor, p_alive, churn_risk, expected90)
         -- The chart's columns are float4: six decimals are plenty, and tiny values must not underflow.
         select x.customer_id, $2, $1, $3::timestamptz, x.r, x.f, x.m, x.rfm_segment, x.lifecycle_state, x.clv1y_minor,
           round(x.p_alive::numeric, 6)::float4, round(x.churn_risk::numeric, 6)::float4, round(x.expected90::numeric, 6)::float4
         from scoring_score_stage x join customers c on c.id = x.customer_id
         where x.history
         on conflict do nothing`,
        [p.tenantId, p.runId, p.asOf],
      );
  }
  await insertScoreEvents(q, p, events);
}

export async function insertScoreEvents(q: Queryable, p: { tenantId: string; runId: string | null; asOf: string }, events: ScoreEventWrite[]): Promise<number> {
  if (!events.length) return 0;
  const r = await q.query(
    `insert into score_events (tenant_id, customer_id, run_id, type, subject, from_state, to_state, reason, at, payload)
     select $1, x."customerId", $2, x.type, x.subject, x."fromState", x."toState", x.reason, $3::timestamptz, x.payload
     from jsonb_to_recordset($4::jsonb) as x("customerId" uuid, type text, subject text, "fromState" text, "toState" text, reason text, payload jsonb)
     join customers c on c.id = x."customerId"
     on conflict (tenant_id, run_id, customer_id, type, subject) where run_id is not null do nothing`,
    [p.tenantId, p.runId, p.asOf, JSON.stringify(events)],
  );
  return r.rowCount ?? 0;
}

/**
 * Customers with no valid order up to asOf are PROSPECTs (a customer whose only order was cancelled goes back to
 * it). Set-based: their scores are reset and a lifecycle event is written for those who were in another state.
 */
export async function scoreProspects(q: Queryable, p: { tenantId: string; runId: string; asOf: string; currency: string }): Promise<{ prospects: number; transitions: number }> {
  const ev = await q.query(
    `insert into score_events (tenant_id, customer_id, run_id, type, subject, from_state, to_state, reason, at, payload)
     select $1, s.customer_id, $2, 'lifecycle_changed', 'PROSPECT', s.lifecycle_state, 'PROSPECT', 'no valid orders', $3::timestamptz, '{}'::jsonb
     from customer_scores s where s.tenant_id = $1 and s.lifecycle_state <> 'PROSPECT' and s.run_id <> $2
       and not exists (select 1 from scoring_work w where w.run_id = $2 and w.customer_id = s.customer_id)
     on conflict (tenant_id, run_id, customer_id, type, subject) where run_id is not null do nothing`,
    [p.tenantId, p.runId, p.asOf],
  );
  const r = await q.query(
    `insert into customer_scores (customer_id, tenant_id, run_id, as_of, orders, orders365, revenue_minor, currency, lifecycle_state, lifecycle_reason, lifecycle_since)
     select c.id, $1, $2, $3::timestamptz, 0, 0, 0, $4, 'PROSPECT', 'no valid orders', coalesce(least(c.created_at, $3::timestamptz), $3::timestamptz)
     from customers c where c.tenant_id = $1 and c.created_at <= $3::timestamptz
       and not exists (select 1 from scoring_work w where w.run_id = $2 and w.customer_id = c.id)
     on conflict (customer_id) do update set run_id = excluded.run_id, as_of = excluded.as_of, orders = 0, orders365 = 0, revenue_minor = 0,
       first_order_at = null, last_order_at = null, r = null, f = null, m = null, rfm_segment = null, clv1y_minor = null, clv3y_minor = null, clv5y_minor = null,
       expected30 = null, expected90 = null, expected365 = null, p_alive = null, churn_risk = null, churn_episode_open = false, propensity = '{}'::jsonb,
       recommendations = '[]'::jsonb, next_best_action = null,
       lifecycle_since = case when customer_scores.lifecycle_state = 'PROSPECT' then customer_scores.lifecycle_since else excluded.as_of end,
       lifecycle_state = 'PROSPECT', lifecycle_reason = 'no valid orders', scored_at = now()`,
    [p.tenantId, p.runId, p.asOf, p.currency],
  );
  return { prospects: r.rowCount ?? 0, transitions: ev.rowCount ?? 0 };
}

export async function dropScoringWork(q: Queryable, runId: string): Promise<void> {
  await q.query('delete from scoring_work where run_id = $1', [runId]);
}

/** Counts per RFM segment, lifecycle state and CLV bucket of the tenant's current scores. */
export async function scoreCounts(q: Queryable, tenantId: string): Promise<{ segments: Record<string, number>; lifecycle: Record<string, number>; events: Record<string, number> }> {
  const seg = await q.query<{ k: string; n: number }>(`select rfm_segment as k, count(*)::int as n from customer_scores where tenant_id = $1 and rfm_segment is not null group by 1`, [tenantId]);
  const lc = await q.query<{ k: string; n: number }>(`select lifecycle_state as k, count(*)::int as n from customer_scores where tenant_id = $1 group by 1`, [tenantId]);
  return { segments: Object.fromEntries(seg.rows.map((x) => [x.k, x.n])), lifecycle: Object.fromEntries(lc.rows.map((x) => [x.k, x.n])), events: {} };
}

/** A customer's current scores with the run they came from and their history; null if never scored. */
export async function getCustomerScores(q: Queryable, tenantId: string, customerId: string): Promise<CustomerScoresView | null> {
  const r = await q.query<Record<string, unknown>>(
    `select run_id as "runId", ${iso('as_of', 'asOf')}, ${iso('scored_at', 'scoredAt')}, r, f, m, rfm_segment as "rfmSegment",
       lifecycle_state as "lifecycleState", ${iso('lifecycle_since', 'lifecycleSince')}, lifecycle_reason as "lifecycleReason",
       orders, orders365, revenue_minor as "revenueMinor", ${iso('first_order_at', 'firstOrderAt')}, ${iso('last_order_at', 'lastOrderAt')},
       clv1y_minor as "clv1y", clv3y_minor as "clv3y", clv5y_minor as "clv5y", currency, expected30 as e30, expected90 as e90, expected365 as e365,
       p_alive as "pAlive", churn_risk as "churnRisk", churn_episode_open as "churnEpisodeOpen", propensity, recommendations, next_best_action as "nextBestAction"
     from customer_scores where tenant_id = $1 and customer_id = $2`,
    [tenantId, customerId],
  );
  const s = r.rows[0];
  if (!s) return null;
  const h = await q.query<CustomerScoresView['history'][number]>(
    `select * from (
       select run_id as "runId", ${iso('as_of', 'asOf')}, as_of as t, rfm_segment as "rfmSegment", lifecycle_state as "lifecycleState", clv1y_minor as "clv1yMinor", p_alive as "pAlive"
       from customer_score_history where tenant_id = $1 and customer_id = $2 order by as_of desc limit 100) x order by t`,
    [tenantId, customerId],
  );
  return {
    runId: s.runId as string,
    asOf: s.asOf as string,
    scoredAt: s.scoredAt as string,
    rfm: s.rfmSegment ? { r: s.r as number, f: s.f as number, m: s.m as number, segment: s.rfmSegment as string } : null,
    lifecycle: { state: s.lifecycleState as string, since: s.lifecycleSince as string, reason: s.lifecycleReason as string },
    orders: { count: s.orders as number, last365Days: s.orders365 as number, revenueMinor: s.revenueMinor as number, firstOrderAt: s.firstOrderAt as string | null, lastOrderAt: s.lastOrderAt as string | null },
    clv: { oneYearMinor: s.clv1y as number | null, threeYearsMinor: s.clv3y as number | null, fiveYearsMinor: s.clv5y as number | null, currency: s.currency as string },
    expectedPurchases: { days30: s.e30 as number | null, days90: s.e90 as number | null, days365: s.e365 as number | null },
    pAlive: s.pAlive as number | null,
    churnRisk: s.churnRisk as number | null,
    churnEpisodeOpen: s.churnEpisodeOpen as boolean,
    propensity: s.propensity as Record<string, number>,
    recommendations: s.recommendations as CustomerScoresView['recommendations'],
    nextBestAction: (s.nextBestAction as CustomerScoresView['nextBestAction']) ?? null,
    history: h.rows.map(({ t: _t, ...x }: CustomerScoresView['history'][number] & { t?: unknown }) => x),
  };
}

export interface ScoringOverview {
  customers: number;
  currency: string | null;
  grid: { r: number; fm: number; customers: number; revenueMinor: number }[];
  segments: { segment: string; customers: number; revenueMinor: number }[];
  lifecycle: { state: string; customers: number }[];
  flows: { from: string | null; to: string; customers: number }[];
  clv: { bucket: number; lowMinor: number; highMinor: number; customers: number }[];
}

/** What the Analytics page charts, from the current scores (set-based, one tenant). */
export async function scoringOverview(q: Queryable, tenantId: string, now: string): Promise<ScoringOverview> {
  const [total, grid, segments, lifecycle, flows, clv] = await Promise.all([
    q.query<{ n: number; currency: string | null }>('select count(*)::int as n, min(currency) as currency from customer_scores where tenant_id = $1', [tenantId]),
    q.query<ScoringOverview['grid'][number]>(
      `select r, ceil((f + m) / 2.0)::int as fm, count(*)::int as customers, sum(revenue_minor)::bigint as "revenueMinor"
       from customer_scores where tenant_id = $1 and r is not null group by 1, 2 order by 1 desc, 2`,
      [tenantId],
    ),
    q.query<ScoringOverview['segments'][number]>(
      `select rfm_segment as segment, count(*)::int as customers, sum(revenue_minor)::bigint as "revenueMinor"
       from customer_scores where tenant_id = $1 and rfm_segment is not null group by 1 order by 2 desc`,
      [tenantId],
    ),
    q.query<ScoringOverview['lifecycle'][number]>(`select lifecycle_state as state, count(*)::int as customers from customer_scores where tenant_id = $1 group by 1`, [tenantId]),
    q.query<ScoringOverview['flows'][number]>(
      `select from_state as "from", to_state as "to", count(distinct customer_id)::int as customers from score_events
       where tenant_id = $1 and type = 'lifecycle_changed' and at > $2::timestamptz - interval '30 days' group by 1, 2 order by 3 desc limit 30`,
      [tenantId, now],
    ),
    q.query<ScoringOverview['clv'][number]>(
      `with s as (select clv1y_minor as v from customer_scores where tenant_id = $1 and clv1y_minor is not null),
       hi as (select greatest(1, percentile_disc(0.99) within group (order by v)) as hi from s)
       select width_bucket(least(v, hi.hi), 0, hi.hi + 1, 10) as bucket, min(v)::bigint as "lowMinor", max(v)::bigint as "highMinor", count(*)::int as customers
       from s, hi group by 1 order by 1`,
      [tenantId],
    ),
  ]);
  return {
    customers: total.rows[0]?.n ?? 0,
    currency: total.rows[0]?.currency ?? null,
    grid: grid.rows,
    segments: segments.rows,
    lifecycle: lifecycle.rows,
    flows: flows.rows,
    clv: clv.rows,
  };
}

export interface LifecycleRow {
  customerId: string;
  orders: number;
  orders365: number;
  lastOrderAt: string;
  daysSinceLastOrder: number;
  lastGapDays: number | null;
  daysSinceReactivation: number | null;
  prevState: string;
  rfmSegment: string | null;
}

/**
 * Lifecycle inputs of customers who have scores and a valid order placed after `since` (the orders a sync just
 * wrote): the same purchase-day aggregation as the nightly run, for those customers only.
 */
export async function lifecycleInputsSince(q: Queryable, p: { tenantId: string; since: string; asOf: string; timeZone: string; reactivationGapDays: number }): Promise<LifecycleRow[]> {
  const r = await q.query<LifecycleRow>(
    `with touched as (
       select distinct o.customer_id from orders o join customer_scores s on s.customer_id = o.customer_id
       where o.tenant_id = $1 and o.customer_id is not null and o.placed_at >= $2::timestamptz - interval '2 days' and o.updated_at >= $2::timestamptz
         and lower(o.status) <> all($5::text[])
     ), days as (
       select o.customer_id, (o.placed_at at time zone $4)::date as d, count(*) as n, max(o.placed_at) as last_at,
         count(*) filter (where o.placed_at > $3::timestamptz - interval '365 days') as n365,
         (o.placed_at at time zone $4)::date - lag((o.placed_at at time zone $4)::date) over (partition by o.customer_id order by (o.placed_at at time zone $4)::date) as gap
       from orders o join touched t on t.customer_id = o.customer_id
       where o.tenant_id = $1 and o.placed_at <= $3::timestamptz and lower(o.status) <> all($5::text[])
       group by o.customer_id, (o.placed_at at time zone $4)::date
     )
     select d.customer_id as "customerId", sum(n)::int as orders, sum(n365)::int as orders365, ${iso('max(last_at)', 'lastOrderAt')},
       (($3::timestamptz at time zone $4)::date - max(d))::int as "daysSinceLastOrder",
       (max(array[d - date '2000-01-01', gap]))[2]::int as "lastGapDays",
       (($3::timestamptz at time zone $4)::date - max(d) filter (where gap > $6))::int as "daysSinceReactivation",
       min(s.lifecycle_state) as "prevState", min(s.rfm_segment) as "rfmSegment"
     from days d join customer_scores s on s.customer_id = d.customer_id
     group by d.customer_id`,
    [p.tenantId, p.since, p.asOf, p.timeZone, [...INVALID_ORDER_STATUSES], p.reactivationGapDays],
  );
  return r.rows;
}

/** Writes lifecycle changes found between nightly runs, with their events (run id null: not part of a run). */
export async function applyLifecycleChanges(
  q: Queryable,
  p: { tenantId: string; asOf: string },
  rows: { customerId: string; state: string; reason: string; orders: number; orders365: number; lastOrderAt: string }[],
): Promise<number> {
  if (!rows.length) return 0;
  const r = await q.query(
    `with x as (
       select * from jsonb_to_recordset($3::jsonb) as x("customerId" uuid, state text, reason text, orders int, orders365 int, "lastOrderAt" timestamptz)
     ), upd as (
       update customer_scores s set lifecycle_state = x.state, lifecycle_reason = x.reason,
         lifecycle_since = case when old.lifecycle_state = x.state then s.lifecycle_since else $2::timestamptz end,
         orders = x.orders, orders365 = x.orders365, last_order_at = x."lastOrderAt"
       from x, customer_scores old
       where s.tenant_id = $1 and s.customer_id = x."customerId" and old.customer_id = s.customer_id
       returning s.customer_id, old.lifecycle_state as from_state, x.state as to_state, x.reason
     )
     insert into score_events (tenant_id, customer_id, run_id, type, subject, from_state, to_state, reason, at, payload)
     select $1, customer_id, null, 'lifecycle_changed', to_state, from_state, to_state, reason, $2::timestamptz, '{"trigger":"order"}'::jsonb
     from upd where from_state is distinct from to_state`,
    [p.tenantId, p.asOf, JSON.stringify(rows)],
  );
  return r.rowCount ?? 0;
}
