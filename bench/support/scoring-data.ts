// The bench:scoring tenant, generated in SQL: customers, products, and orders drawn from the BG/NBD and
// Gamma–Gamma processes themselves, so the nightly fit meets data shaped like the real thing (the earlier
// generator spread a fixed order count uniformly over an exponential lifetime; BG/NBD could not fit it and every
// run fell back). Generated with generate_series and a seeded random(): the same data every run.
import type pg from 'pg';
import { prng } from '#tests/support/prng.ts';

/**
 * The buyers' true parameters, weekly as the app fits them: purchase rate λ ~ Gamma(2, α) (α calibrated so the
 * orders come out at the requested count), dropout after each purchase p ~ Beta(1, 10); spend per order
 * ~ Gamma(4, ν) with ν ~ Gamma(3, 1/500) per customer (mean order ≈ 1,000 in the currency). Integer shapes,
 * so each draw is a sum of exponentials (−ln of a product of uniforms) that SQL computes without a loop.
 */
export const BENCH_TRUTH = { r: 2, a: 1, b: 10, p: 4, q: 3, gamma: 500 } as const;
/** Share of customers with at least one order (the rest are prospects). */
export const BUYER_SHARE = 0.9;
/** Customers' first orders are spread over the two years before asOf. */
const BORN_MIN_DAYS = 5;
const BORN_SPAN_DAYS = 725;

/** Orders per buyer the process yields for a weekly α: simulated on a seeded sample (it has no closed form here). */
function ordersPerBuyer(alphaWeeks: number, sample = 20_000): number {
  const rand = prng(7);
  const exp = () => -Math.log(1 - rand());
  let total = 0;
  for (let i = 0; i < sample; i++) {
    const born = BORN_MIN_DAYS + rand() * BORN_SPAN_DAYS;
    const lam = (exp() + exp()) / (alphaWeeks * 7);
    const e1 = exp();
    let eb = 0;
    for (let k = 0; k < BENCH_TRUTH.b; k++) eb += exp();
    const p = e1 / (e1 + eb);
    const repeats = Math.floor(Math.log(1 - rand()) / Math.log(1 - p));
    let n = 1;
    let t = 0;
    for (let j = 0; j < repeats; j++) {
      t += exp() / lam;
      if (t > born) break;
      n++;
    }
    total += n;
  }
  return total / sample;
}

/** The weekly α that gives `perBuyer` orders per buyer on average (bisection: fewer orders as α grows). */
export function calibrateAlpha(perBuyer: number): number {
  let lo = 0.05;
  let hi = 500;
  for (let i = 0; i < 30; i++) {
    const mid = Math.sqrt(lo * hi);
    if (ordersPerBuyer(mid) > perBuyer) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

export interface ScoringTenantSize {
  tenantId: string;
  customers: number;
  orders: number;
  products: number;
  categories: number;
  asOf: string;
}

/**
 * Loads the tenant the way a restore would: indexes built once at the end, foreign-key triggers off for this
 * session. Returns the weekly α used. The order count comes out near `orders` (it is drawn, not fixed).
 */
export async function generateScoringTenant(client: pg.PoolClient, size: ScoringTenantSize, log: (line: string) => void = () => {}): Promise<{ alphaWeeks: number }> {
  const q = async (sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const r = await client.query(sql, params);
    log(`    ${((performance.now() - t) / 1000).toFixed(1)} s ${sql.replace(/\s+/g, ' ').slice(0, 60)}`);
    return r;
  };
  const buyers = Math.max(1, Math.round(size.customers * BUYER_SHARE));
  const alphaWeeks = calibrateAlpha(size.orders / buyers);
  await q('select setseed(0.42)');
  await q('set session_replication_role = replica');
  await q('alter table orders drop constraint orders_tenant_source_external_uq');
  await q('drop index orders_tenant_customer_placed_idx, orders_tenant_placed_idx, order_items_tenant_product_idx');
  await q('alter table order_items drop constraint order_items_order_position_uq');
  // Ids from the row number, so orders can pick a customer without a join.
  await q(
    `insert into customers (id, tenant_id, email, created_at)
     select ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, 'c' || g || '@example.com', $3::timestamptz - interval '3 years'
     from generate_series(1, $2) g`,
    [size.tenantId, size.customers, size.asOf],
  );
  await q(
    `insert into products (id, tenant_id, source, external_id, name, category)
     select ('00000000-0000-4000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, 'bench', 'p' || g, 'Product ' || g, 'category-' || (g % $3)
     from generate_series(1, $2) g`,
    [size.tenantId, size.products, size.categories],
  );
  // Per buyer: first order `born` days ago, purchase rate per day, total purchases before dropping out
  // (geometric in p: 1 + repeats), and the customer's spend rate ν.
  await q(
    `create temporary table bench_buyer as
     select n, born, lam, 1 + floor(ln(1 - random()) / ln(1 - p))::bigint as k, nu from (
       select g as n, $2::float8 + random() * $3::float8 as born,
         -ln((1 - random()) * (1 - random())) / ($4::float8 * 7) as lam,
         e1 / (e1 + eb) as p,
         -ln((1 - random()) * (1 - random()) * (1 - random())) / $5::float8 as nu
       from (select g, -ln(1 - random()) as e1, (select -sum(ln(1 - random())) from generate_series(1, $6::int) where g > 0) as eb from generate_series(1, $1::int) g) u
     ) v`,
    [buyers, BORN_MIN_DAYS, BORN_SPAN_DAYS, alphaWeeks, BENCH_TRUTH.gamma, BENCH_TRUTH.b],
  );
  // Purchase j is the first order plus j exponential gaps, kept while it falls before asOf and before dropout.
  // 4% cancelled or refunded.
  await q(
    `insert into orders (tenant_id, source, external_id, customer_id, status, currency, total_minor, placed_at)
     select $1, 'bench', 'o' || n || '-' || j, ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       case when random() < 0.03 then 'canceled' when random() < 0.01 then 'refunded' else 'invoiced' end,
       'ARS', least(100 * -ln((1 - random()) * (1 - random()) * (1 - random()) * (1 - random())) / nu, 1e10)::bigint,
       $2::timestamptz - make_interval(secs => (born - t) * 86400)
     from (
       select b.n, b.born, b.nu, j, sum(case when j = 0 then 0 else -ln(1 - random()) / b.lam end) over (partition by b.n order by j) as t
       from bench_buyer b cross join lateral generate_series(0, least(b.k - 1, ceil(b.lam * b.born + 5 * sqrt(b.lam * b.born) + 10))::int) j
     ) c where t <= born`,
    [size.tenantId, size.asOf],
  );
  // One line per order, a second for a third of them (a related product: co-purchase structure).
  await q(
    `insert into order_items (tenant_id, order_id, product_id, external_product_id, category, unit_price_minor, total_minor, currency, position)
     select o.tenant_id, o.id, ('00000000-0000-4000-9000-' || lpad(to_hex(p), 12, '0'))::uuid, 'p' || p, null, o.total_minor, o.total_minor, 'ARS', 0
     from (select id, tenant_id, total_minor, 1 + floor(power(random(), 2) * $2)::int as p from orders where tenant_id = $1) o`,
    [size.tenantId, size.products],
  );
  await q(
    `insert into order_items (tenant_id, order_id, product_id, external_product_id, unit_price_minor, total_minor, currency, position)
     select i.tenant_id, i.order_id, ('00000000-0000-4000-9000-' || lpad(to_hex(x.p), 12, '0'))::uuid, 'p' || x.p, 1000, 1000, 'ARS', 1
     from order_items i cross join lateral (select 1 + (substr(i.external_product_id, 2)::int + 6) % $2 as p) x
     where i.tenant_id = $1 and random() < 0.33`,
    [size.tenantId, size.products],
  );
  await q('drop table bench_buyer');
  await q('alter table orders add constraint orders_tenant_source_external_uq unique (tenant_id, source, external_id)');
  await q('create index orders_tenant_customer_placed_idx on orders (tenant_id, customer_id, placed_at)');
  await q('create index orders_tenant_placed_idx on orders (tenant_id, placed_at)');
  await q('alter table order_items add constraint order_items_order_position_uq unique (order_id, position)');
  await q('create index order_items_tenant_product_idx on order_items (tenant_id, product_id)');
  await q('set session_replication_role = origin');
  await q('vacuum analyze');
  return { alphaWeeks };
}
