// Compiles a segment rule to ONE parameterized SQL query returning the ids of a tenant's matching customers.
// Values only ever travel as parameters; identifiers only come from the schema map. Every condition is wrapped in
// coalesce(…, false) so the SQL has two-valued logic, like the in-memory evaluator.
import type { Condition, Predicate, ProfileField, PropertyFilter, SegmentRule, ValueType } from './rule.ts';
import { DATE_STRING_PATTERN, OFFSET_PATTERN, type Range, dateRange, splitPath, windowRange } from './semantics.ts';
import { ident, type SegmentSqlSchema, segmentSqlSchema } from './sql-schema.ts';

/** Returns another segment's rule, for `segment` conditions compiled inline and for cycle checks. */
export type SegmentLookup = (segmentId: string) => SegmentRule | undefined;

export interface CompileContext {
  tenantId: string;
  /** The instant relative windows are measured from. */
  now: Date;
  /**
   * How `segment` conditions read another segment: 'membership' (default) reads the stored memberships;
   * 'inline' compiles the other segment's rule in place (needs `lookup`), e.g. for a preview before memberships exist.
   */
  segments?: 'membership' | 'inline';
  lookup?: SegmentLookup;
  /** The compiled segment's own id, so an inline reference back to it is reported as a cycle at once. */
  segmentId?: string;
  /** Restricts the result to these customers (incremental re-evaluation of a batch). */
  customerIds?: readonly string[];
  schema?: SegmentSqlSchema;
}

export interface CompiledSql {
  sql: string;
  params: unknown[];
}

export class SegmentCycleError extends Error {
  override name = 'SegmentCycleError';
  constructor(readonly cycle: string[]) {
    super(`segment references form a cycle: ${cycle.join(' → ')}`);
  }
}

class Builder {
  readonly params: unknown[] = [];
  /**
   * Whole-tenant mode (compileSegment without customerIds): conditions over other tables read one pre-aggregated row
   * per customer through a LEFT JOIN instead of a correlated subquery per customer, so PostgreSQL hashes each table
   * once. Null in predicate mode and for a batch of customers, where per-customer index probes are cheaper.
   */
  joins: string[] | null = null;
  private aliases = 0;
  private shared = new Map<string, string>();
  constructor(
    readonly ctx: CompileContext,
    readonly s: SegmentSqlSchema,
  ) {}

  /** A placeholder for a value, with an explicit cast so PostgreSQL never guesses its type. */
  p(value: unknown, cast?: string): string {
    this.params.push(value);
    return cast ? `$${this.params.length}::${cast}` : `$${this.params.length}`;
  }

  /** Adds a LEFT JOIN (at most one row per customer) and returns its alias. */
  join(sql: (alias: string) => string, key?: string): string {
    const known = key !== undefined ? this.shared.get(key) : undefined;
    if (known) return known;
    const alias = `j${++this.aliases}`;
    this.joins!.push(sql(alias));
    if (key !== undefined) this.shared.set(key, alias);
    return alias;
  }
}

/** The tenant placeholder of compileSegment: derived tables cannot see `c`. */
const TENANT = '$1::uuid';

const C = 'c';
const col = (alias: string, name: string) => `${alias}.${ident(name)}`;

/** The predicate on `customers c` (tenant id is placeholder $1 when built through compileSegment). */
function compileRule(b: Builder, rule: SegmentRule, stack: string[]): string {
  if (rule.kind === 'group') {
    const parts = rule.rules.map((r) => compileRule(b, r, stack));
    const joined = `(${parts.join(rule.op === 'and' ? ' and ' : ' or ')})`;
    return rule.negate ? `(not ${joined})` : joined;
  }
  return `coalesce(${compileCondition(b, rule, stack)}, false)`;
}

function compileCondition(b: Builder, c: Condition, stack: string[]): string {
  const s = b.s;
  switch (c.kind) {
    case 'profile':
      return applyPredicate(b, profileExpr(b, c.field), c.predicate);
    case 'attribute':
      return applyPredicate(b, typedJsonSql(b, `${col(C, s.customers.attributes)} -> ${b.p(c.key, 'text')}`, c.predicate.type), c.predicate);
    case 'score': {
      const sc = s.scores;
      const value = (a: string) =>
        c.score === 'propensity'
          ? typedJsonSql(b, `${a}.${ident(sc.propensity)} -> ${b.p(c.category ?? '', 'text')}`, 'number')
          : c.predicate.type === 'number'
            ? `${a}.${ident(sc[c.score])}::float8`
            : `${a}.${ident(sc[c.score])}::text`;
      const on = (a: string) => `${a}.${ident(sc.tenantId)} = ${col(C, s.customers.tenantId)} and ${a}.${ident(sc.customerId)} = ${col(C, s.customers.id)}`;
      if (b.joins) {
        // Every score condition reads the same one row per customer: one join serves them all.
        const a = b.join((x) => `left join ${ident(sc.table)} ${x} on ${on(x)}`, 'scores');
        return applyPredicate(b, value(a), c.predicate);
      }
      const sub = `(select ${value('sc')} from ${ident(sc.table)} sc where ${on('sc')})`;
      return applyPredicate(b, sub, c.predicate);
    }
    case 'orders':
      return applyPredicate(b, ordersExpr(b, c), c.predicate);
    case 'event':
      return eventExpr(b, c);
    case 'segment': {
      if (b.ctx.segments === 'inline') {
        const inner = inlineSegment(b, c.segmentId, stack);
        return c.member ? inner : `(not ${inner})`;
      }
      const m = s.memberships;
      const on = (a: string) =>
        `${a}.${ident(m.tenantId)} = ${col(C, s.customers.tenantId)} and ${a}.${ident(m.segmentId)} = ${b.p(c.segmentId)} and ${a}.${ident(m.customerId)} = ${col(C, s.customers.id)} and ${a}.${ident(m.exitedAt)} is null`;
      // At most one current episode per customer and segment (a unique index), so the join keeps one row.
      const sub = b.joins ? `(${b.join((x) => `left join ${ident(m.table)} ${x} on ${on(x)}`)}.${ident(m.customerId)} is not null)` : `exists (select 1 from ${ident(m.table)} m where ${on('m')})`;
      return c.member ? sub : `(not ${sub})`;
    }
    case 'consent': {
      const k = s.consents;
      const on = (a: string) =>
        `${a}.${ident(k.tenantId)} = ${col(C, s.customers.tenantId)} and ${a}.${ident(k.customerId)} = ${col(C, s.customers.id)} and ${a}.${ident(k.channel)} = ${b.p(c.channel, 'text')} and ${a}.${ident(k.status)} = ${b.p(s.consentGranted, 'text')}`;
      // One row per customer and channel (the primary key).
      const sub = b.joins ? `(${b.join((x) => `left join ${ident(k.table)} ${x} on ${on(x)}`)}.${ident(k.customerId)} is not null)` : `exists (select 1 from ${ident(k.table)} k where ${on('k')})`;
      return c.granted ? sub : `(not ${sub})`;
    }
  }
}

function inlineSegment(b: Builder, segmentId: string, stack: string[]): string {
  if (stack.includes(segmentId)) throw new SegmentCycleError([...stack.slice(stack.indexOf(segmentId)), segmentId]);
  const rule = b.ctx.lookup?.(segmentId);
  if (!rule) throw new Error(`unknown segment ${segmentId}`);
  return compileRule(b, rule, [...stack, segmentId]);
}

function profileExpr(b: Builder, field: ProfileField): string {
  const cu = b.s.customers;
  if (field.startsWith('address.')) return typedJsonSql(b, `${col(C, cu.address)} -> ${b.p(field.slice('address.'.length), 'text')}`, 'string');
  if (field === 'birthDate') return `(${col(C, cu.birthDate)}::timestamp at time zone 'UTC')`;
  if (field === 'createdAt') return col(C, cu.createdAt);
  return col(C, cu[field as 'email' | 'phone' | 'documentNumber' | 'firstName' | 'lastName']);
}

/** The value of a jsonb expression as the given type, or NULL when absent or of another JSON type. */
function typedJsonSql(b: Builder, j: string, type: ValueType): string {
  const text = `(${j} #>> '{}')`;
  switch (type) {
    case 'string':
      return `(case when jsonb_typeof(${j}) = 'string' then ${text} end)`;
    case 'number':
      return `(case when jsonb_typeof(${j}) = 'number' then ${text}::float8 end)`;
    case 'boolean':
      return `(case when jsonb_typeof(${j}) = 'boolean' then ${text}::boolean end)`;
    case 'date':
      // The pattern and pg_input_is_valid keep the cast from ever raising; no offset means UTC.
      return (
        `(case when jsonb_typeof(${j}) = 'string' and ${text} ~ ${b.p(DATE_STRING_PATTERN, 'text')} and pg_input_is_valid(${text}, 'timestamp') ` +
        `then (case when ${text} ~ ${b.p(OFFSET_PATTERN, 'text')} then ${text}::timestamptz else ${text}::timestamp at time zone 'UTC' end) end)`
      );
  }
}

function rangeSql(b: Builder, x: string, r: Range): string[] {
  const out: string[] = [];
  if (r.gt) out.push(`${x} > ${b.p(r.gt.toISOString(), 'timestamptz')}`);
  if (r.gte) out.push(`${x} >= ${b.p(r.gte.toISOString(), 'timestamptz')}`);
  if (r.lt) out.push(`${x} < ${b.p(r.lt.toISOString(), 'timestamptz')}`);
  if (r.lte) out.push(`${x} <= ${b.p(r.lte.toISOString(), 'timestamptz')}`);
  return out;
}

const numberOps = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function applyPredicate(b: Builder, x: string, p: Predicate): string {
  if (p.op === 'exists') return `(${x} is not null)`;
  if (p.op === 'not_exists') return `(${x} is null)`;
  switch (p.type) {
    case 'string':
      switch (p.op) {
        case 'equals':
          return `(${x} = ${b.p(p.value, 'text')})`;
        case 'not_equals':
          return `(${x} <> ${b.p(p.value, 'text')})`;
        case 'contains':
          return `(strpos(${x}, ${b.p(p.value, 'text')}) > 0)`;
        case 'not_contains':
          return `(strpos(${x}, ${b.p(p.value, 'text')}) = 0)`;
        case 'starts_with':
          return `starts_with(${x}, ${b.p(p.value, 'text')})`;
        case 'ends_with': {
          const v = b.p(p.value, 'text');
          return `(right(${x}, char_length(${v})) = ${v})`;
        }
        case 'in':
          return `(${x} = any(${b.p(p.values, 'text[]')}))`;
        case 'not_in':
          return `(${x} <> all(${b.p(p.values, 'text[]')}))`;
      }
      break;
    case 'number':
      if (p.op === 'between') return `(${x} between ${b.p(p.min, 'float8')} and ${b.p(p.max, 'float8')})`;
      if (!('value' in p)) break;
      return `(${x} ${numberOps[p.op]} ${b.p(p.value, 'float8')})`;
    case 'date': {
      const r = dateRange(p, b.ctx.now);
      if (!r) break;
      return `(${[`${x} is not null`, ...rangeSql(b, x, r)].join(' and ')})`;
    }
    case 'boolean':
      return p.op === 'is_true' ? `(${x} = true)` : `(${x} = false)`;
  }
  throw new Error(`unhandled predicate ${p.type}/${p.op}`);
}

function itemMatch(b: Builder, alias: string, items: NonNullable<Extract<Condition, { kind: 'orders' }>['items']>): string {
  const oi = b.s.orderItems;
  const parts: string[] = [];
  if (items.categories?.length) parts.push(`${alias}.${ident(oi.category)} = any(${b.p(items.categories, 'text[]')})`);
  if (items.productIds?.length) parts.push(`${alias}.${ident(oi.productId)}::text = any(${b.p(items.productIds, 'text[]')})`);
  if (items.skus?.length) parts.push(`${alias}.${ident(oi.sku)} = any(${b.p(items.skus, 'text[]')})`);
  return `(${parts.join(' or ')})`;
}

function ordersExpr(b: Builder, c: Extract<Condition, { kind: 'orders' }>): string {
  const o = b.s.orders;
  const oi = b.s.orderItems;
  const cu = b.s.customers;
  const joined = b.joins !== null;
  const where = [
    ...(joined
      ? [`o.${ident(o.tenantId)} = ${TENANT}`, `o.${ident(o.customerId)} is not null`]
      : [`o.${ident(o.tenantId)} = ${col(C, cu.tenantId)}`, `o.${ident(o.customerId)} = ${col(C, cu.id)}`]),
    `lower(o.${ident(o.status)}) <> all(${b.p(b.s.excludedOrderStatuses, 'text[]')})`,
    ...rangeSql(b, `o.${ident(o.placedAt)}`, windowRange(c.window, b.ctx.now)),
  ];
  if (c.metric === 'revenue' && c.currency) where.push(`o.${ident(o.currency)} = ${b.p(c.currency, 'text')}`);
  let from = `${ident(o.table)} o`;
  let agg: string;
  if (c.metric === 'revenue' && c.items) {
    from += ` join ${ident(oi.table)} oi on oi.${ident(oi.orderId)} = o.${ident(o.id)}`;
    where.push(itemMatch(b, 'oi', c.items));
    agg = `coalesce(sum(oi.${ident(oi.totalMinor)}), 0)::float8`;
  } else {
    if (c.items) where.push(`exists (select 1 from ${ident(oi.table)} oi where oi.${ident(oi.orderId)} = o.${ident(o.id)} and ${itemMatch(b, 'oi', c.items)})`);
    agg = {
      count: 'count(*)::float8',
      revenue: `coalesce(sum(o.${ident(o.totalMinor)}), 0)::float8`,
      lastOrderAt: `max(o.${ident(o.placedAt)})`,
      firstOrderAt: `min(o.${ident(o.placedAt)})`,
    }[c.metric];
  }
  if (!joined) return `(select ${agg} from ${from} where ${where.join(' and ')})`;
  // One aggregated row per customer with matching orders; the others read as no orders (0, or no date).
  const a = b.join((x) => `left join (select o.${ident(o.customerId)} as customer_id, ${agg} as v from ${from} where ${where.join(' and ')} group by o.${ident(o.customerId)}) ${x} on ${x}.customer_id = ${col(C, cu.id)}`);
  return c.metric === 'count' || c.metric === 'revenue' ? `coalesce(${a}.v, 0)::float8` : `${a}.v`;
}

function eventExpr(b: Builder, c: Extract<Condition, { kind: 'event' }>): string {
  const e = b.s.events;
  const sp = b.s.eventProfiles;
  const cu = b.s.customers;
  const joined = b.joins !== null;
  const where = [
    joined ? `e.${ident(e.tenantId)} = ${TENANT}` : `e.${ident(e.tenantId)} = ${col(C, cu.tenantId)}`,
    `e.${ident(e.type)} = ${b.p(b.s.trackType, 'text')}`,
    `e.${ident(e.event)} = ${b.p(c.event, 'text')}`,
    ...rangeSql(b, `e.${ident(e.timestamp)}`, windowRange(c.window, b.ctx.now)),
    ...c.where.map((f) => `coalesce(${applyPredicate(b, typedJsonSql(b, `e.${ident(e.properties)} #> ${b.p(splitPath(f.path), 'text[]')}`, f.predicate.type), f.predicate)}, false)`),
  ];
  const profile = `join ${ident(sp.table)} sp on sp.${ident(sp.tenantId)} = e.${ident(e.tenantId)} and sp.${ident(sp.source)} = ${b.p(b.s.eventSource, 'text')} and sp.${ident(sp.externalId)} = e.${ident(e.userId)}`;
  const min = b.p(c.minCount, 'int');
  let counted: string;
  if (joined) {
    const a = b.join(
      (x) =>
        `left join (select sp.${ident(sp.customerId)} as customer_id, count(*) as n from ${ident(e.table)} e ${profile} where ${where.join(' and ')} and sp.${ident(sp.customerId)} is not null group by sp.${ident(sp.customerId)}) ${x} on ${x}.customer_id = ${col(C, cu.id)}`,
    );
    counted = `coalesce(${a}.n, 0)`;
  } else {
    // LIMIT lets PostgreSQL stop counting once the threshold is reached.
    counted = `(select count(*) from (select 1 from ${ident(e.table)} e ${profile} and sp.${ident(sp.customerId)} = ${col(C, cu.id)} where ${where.join(' and ')} limit ${min}) x)`;
  }
  return c.performed ? `(${counted} >= ${min})` : `(${counted} < ${min})`;
}

function compileWith(rule: SegmentRule, ctx: CompileContext, params: unknown[], joins: string[] | null): string {
  const b = new Builder(ctx, ctx.schema ?? segmentSqlSchema);
  b.params.push(...params);
  b.joins = joins;
  const sql = compileRule(b, rule, ctx.segmentId !== undefined ? [ctx.segmentId] : []);
  params.splice(0, params.length, ...b.params);
  return sql;
}

/** The boolean SQL predicate over `customers c`, appending its values to `params` (whose placeholders it continues). */
export function compileSegmentPredicate(rule: SegmentRule, ctx: CompileContext, params: unknown[]): string {
  return compileWith(rule, ctx, params, null);
}

/**
 * One parameterized query: `select c.id from customers c [left join …] where c.tenant_id = $1 and (<rule>)`.
 * Over the whole tenant, conditions on other tables are LEFT JOINs of one aggregated row per customer (set-based:
 * each table is read once); restricted to `customerIds`, they are correlated subqueries (a few index probes each).
 * Throws SegmentCycleError when inline segment references loop (validate first to get a located error).
 */
export function compileSegment(rule: SegmentRule, ctx: CompileContext): CompiledSql {
  const s = ctx.schema ?? segmentSqlSchema;
  const params: unknown[] = [ctx.tenantId];
  const joins: string[] | null = ctx.customerIds ? null : [];
  const predicate = compileWith(rule, ctx, params, joins);
  const cu = s.customers;
  const where = [`${col(C, cu.tenantId)} = $1::uuid`, predicate];
  if (ctx.customerIds) {
    params.push([...ctx.customerIds]);
    where.push(`${col(C, cu.id)} = any($${params.length}::uuid[])`);
  }
  return { sql: `select ${col(C, cu.id)} as customer_id from ${ident(cu.table)} ${C} ${(joins ?? []).join(' ')} where ${where.join(' and ')}`, params };
}

/**
 * Property filters of an event match as SQL over `<alias>.properties` (experiment metrics reuse the segment
 * semantics), appending values to `params` (whose placeholders the result continues). `now` anchors relative dates.
 */
export function compileEventPropertyFilters(filters: readonly PropertyFilter[], alias: string, ctx: Pick<CompileContext, 'tenantId' | 'now'>, params: unknown[]): string[] {
  const b = new Builder({ tenantId: ctx.tenantId, now: ctx.now }, segmentSqlSchema);
  b.params.push(...params);
  const out = filters.map((f) => `coalesce(${applyPredicate(b, typedJsonSql(b, `${alias}.${ident(b.s.events.properties)} #> ${b.p(splitPath(f.path), 'text[]')}`, f.predicate.type), f.predicate)}, false)`);
  params.splice(0, params.length, ...b.params);
  return out;
}
