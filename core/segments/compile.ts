// Compiles a segment rule to ONE parameterized SQL query returning the ids of a tenant's matching customers.
// Values only ever travel as parameters; identifiers only come from the schema map. Every condition is wrapped in
// coalesce(…, false) so the SQL has two-valued logic, like the in-memory evaluator.
import type { Condition, Predicate, ProfileField, PropertyFilter, SegmentRule, ValueType } from './rule.ts';
import { DATE_STRING_PATTERN, OFFSET_PATTERN, type Range, dateRange, splitPath, testPredicate, windowRange } from './semantics.ts';
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
   * Whole-tenant mode (compileSegment without customerIds): a condition over another table is membership in a set of
   * customer ids computed once by an uncorrelated subquery (`c.id in (…)`), which PostgreSQL turns into a semi-join
   * at the top level of an AND and into a hashed subplan, built at most once and only if reached, under OR and NOT.
   * False in predicate mode and for a batch of customers, where per-customer index probes are cheaper.
   */
  sets = false;
  constructor(
    readonly ctx: CompileContext,
    readonly s: SegmentSqlSchema,
  ) {}

  /** A placeholder for a value, with an explicit cast so PostgreSQL never guesses its type. */
  p(value: unknown, cast?: string): string {
    this.params.push(value);
    return cast ? `$${this.params.length}::${cast}` : `$${this.params.length}`;
  }
}

/** The tenant placeholder of compileSegment: derived tables cannot see `c`. */
const TENANT = '$1::uuid';

const C = 'c';
const col = (alias: string, name: string) => `${alias}.${ident(name)}`;

/** 0: reads only the customer row; 1: reads another table. */
function cost(rule: SegmentRule): number {
  if (rule.kind === 'group') return Math.max(0, ...rule.rules.map(cost));
  return rule.kind === 'profile' || rule.kind === 'attribute' ? 0 : 1;
}

/**
 * The predicate on `customers c` (tenant id is placeholder $1 when built through compileSegment). Within a group the
 * conditions on the customer row come first: PostgreSQL evaluates AND/OR operands in order and stops early, so a
 * subquery is only reached (and a set only built) for customers the cheap conditions did not decide. Both operators
 * are commutative here (two-valued logic), so the order never changes the result.
 */
function compileRule(b: Builder, rule: SegmentRule, stack: string[]): string {
  if (rule.kind === 'group') {
    const ordered = [...rule.rules].sort((x, y) => cost(x) - cost(y));
    const parts: string[] = [];
    // Whole-tenant mode: score conditions of one group read the same single row per customer, so one set serves them.
    const scores = b.sets ? ordered.filter((r): r is Extract<Condition, { kind: 'score' }> => r.kind === 'score' && !rowlessScoreMatches(b, r)) : [];
    const merged = scores.length > 1 ? new Set<SegmentRule>(scores) : new Set<SegmentRule>();
    for (const r of ordered) {
      if (!merged.has(r)) parts.push(compileRule(b, r, stack));
      else if (r === scores[0]) parts.push(scoreSet(b, scores, rule.op));
    }
    const joined = `(${parts.join(rule.op === 'and' ? ' and ' : ' or ')})`;
    return rule.negate ? `(not ${joined})` : joined;
  }
  // Set membership is never NULL (ids on both sides are not null); leaving it bare lets a top-level `in` become a semi-join.
  if (b.sets && rule.kind !== 'profile' && rule.kind !== 'attribute' && !(rule.kind === 'segment' && b.ctx.segments === 'inline')) return compileCondition(b, rule, stack);
  return `coalesce(${compileCondition(b, rule, stack)}, false)`;
}

/**
 * Whole-tenant membership: customers in `ids` match, or, when a customer with no row in the table matches the
 * condition (e.g. "fewer than 1 order"), `ids` holds those WITH rows that do not match and the set is negated.
 */
const inSet = (b: Builder, ids: string, rowlessMatch: boolean) => {
  const id = col(C, b.s.customers.id);
  return rowlessMatch ? `(not (${id} in (${ids})))` : `(${id} in (${ids}))`;
};

/** Whether a customer without a scores row (or with the column NULL) satisfies the condition, like the evaluator. */
function rowlessScoreMatches(b: Builder, c: Extract<Condition, { kind: 'score' }>): boolean {
  return testPredicate(undefined, c.predicate, b.ctx.now);
}

function scoreValue(b: Builder, c: Extract<Condition, { kind: 'score' }>, a: string): string {
  const sc = b.s.scores;
  return c.score === 'propensity'
    ? typedJsonSql(b, `${a}.${ident(sc.propensity)} -> ${b.p(c.category ?? '', 'text')}`, 'number')
    : c.predicate.type === 'number'
      ? `${a}.${ident(sc[c.score])}::float8`
      : `${a}.${ident(sc[c.score])}::text`;
}

/** Several score conditions no rowless customer satisfies, combined by `op` over the one scores row: one set. */
function scoreSet(b: Builder, conditions: Extract<Condition, { kind: 'score' }>[], op: 'and' | 'or'): string {
  const sc = b.s.scores;
  const tests = conditions.map((c) => `coalesce(${applyPredicate(b, scoreValue(b, c, 'sc'), c.predicate)}, false)`);
  return inSet(b, `select sc.${ident(sc.customerId)} from ${ident(sc.table)} sc where sc.${ident(sc.tenantId)} = ${TENANT} and (${tests.join(` ${op} `)})`, false);
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
      if (b.sets) {
        const rowless = rowlessScoreMatches(b, c);
        const test = `coalesce(${applyPredicate(b, scoreValue(b, c, 'sc'), c.predicate)}, false)`;
        return inSet(b, `select sc.${ident(sc.customerId)} from ${ident(sc.table)} sc where sc.${ident(sc.tenantId)} = ${TENANT} and ${rowless ? `not ${test}` : test}`, rowless);
      }
      const on = `sc.${ident(sc.tenantId)} = ${col(C, s.customers.tenantId)} and sc.${ident(sc.customerId)} = ${col(C, s.customers.id)}`;
      return applyPredicate(b, `(select ${scoreValue(b, c, 'sc')} from ${ident(sc.table)} sc where ${on})`, c.predicate);
    }
    case 'orders':
      return ordersCondition(b, c);
    case 'event':
      return eventExpr(b, c);
    case 'segment': {
      if (b.ctx.segments === 'inline') {
        const inner = inlineSegment(b, c.segmentId, stack);
        return c.member ? inner : `(not ${inner})`;
      }
      const m = s.memberships;
      if (b.sets) {
        // At most one current episode per customer and segment (a unique index).
        const ids = `select m.${ident(m.customerId)} from ${ident(m.table)} m where m.${ident(m.tenantId)} = ${TENANT} and m.${ident(m.segmentId)} = ${b.p(c.segmentId)} and m.${ident(m.exitedAt)} is null`;
        return inSet(b, ids, !c.member);
      }
      const on = `m.${ident(m.tenantId)} = ${col(C, s.customers.tenantId)} and m.${ident(m.segmentId)} = ${b.p(c.segmentId)} and m.${ident(m.customerId)} = ${col(C, s.customers.id)} and m.${ident(m.exitedAt)} is null`;
      const sub = `exists (select 1 from ${ident(m.table)} m where ${on})`;
      return c.member ? sub : `(not ${sub})`;
    }
    case 'consent': {
      const k = s.consents;
      const match = `k.${ident(k.channel)} = ${b.p(c.channel, 'text')} and k.${ident(k.status)} = ${b.p(s.consentGranted, 'text')}`;
      // One row per customer and channel (the primary key).
      if (b.sets) return inSet(b, `select k.${ident(k.customerId)} from ${ident(k.table)} k where k.${ident(k.tenantId)} = ${TENANT} and ${match}`, !c.granted);
      const sub = `exists (select 1 from ${ident(k.table)} k where k.${ident(k.tenantId)} = ${col(C, s.customers.tenantId)} and k.${ident(k.customerId)} = ${col(C, s.customers.id)} and ${match})`;
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

function ordersCondition(b: Builder, c: Extract<Condition, { kind: 'orders' }>): string {
  const o = b.s.orders;
  const oi = b.s.orderItems;
  const cu = b.s.customers;
  const where = [
    ...(b.sets
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
  if (!b.sets) return applyPredicate(b, `(select ${agg} from ${from} where ${where.join(' and ')})`, c.predicate);
  // Customers without matching orders have a count or revenue of 0 and no dates.
  const rowless = testPredicate(c.metric === 'count' || c.metric === 'revenue' ? 0 : undefined, c.predicate, b.ctx.now);
  const test = `coalesce(${applyPredicate(b, agg, c.predicate)}, false)`;
  return inSet(b, `select o.${ident(o.customerId)} from ${from} where ${where.join(' and ')} group by o.${ident(o.customerId)} having ${rowless ? `not ${test}` : test}`, rowless);
}

function eventExpr(b: Builder, c: Extract<Condition, { kind: 'event' }>): string {
  const e = b.s.events;
  const sp = b.s.eventProfiles;
  const cu = b.s.customers;
  const where = [
    b.sets ? `e.${ident(e.tenantId)} = ${TENANT}` : `e.${ident(e.tenantId)} = ${col(C, cu.tenantId)}`,
    `e.${ident(e.type)} = ${b.p(b.s.trackType, 'text')}`,
    `e.${ident(e.event)} = ${b.p(c.event, 'text')}`,
    ...rangeSql(b, `e.${ident(e.timestamp)}`, windowRange(c.window, b.ctx.now)),
    ...c.where.map((f) => `coalesce(${applyPredicate(b, typedJsonSql(b, `e.${ident(e.properties)} #> ${b.p(splitPath(f.path), 'text[]')}`, f.predicate.type), f.predicate)}, false)`),
  ];
  const profile = `join ${ident(sp.table)} sp on sp.${ident(sp.tenantId)} = e.${ident(e.tenantId)} and sp.${ident(sp.source)} = ${b.p(b.s.eventSource, 'text')} and sp.${ident(sp.externalId)} = e.${ident(e.userId)}`;
  const min = b.p(c.minCount, 'int');
  if (b.sets) {
    // Customers with at least minCount matching events; "not performed" is everyone else.
    const ids = `select sp.${ident(sp.customerId)} from ${ident(e.table)} e ${profile} where ${where.join(' and ')} and sp.${ident(sp.customerId)} is not null group by sp.${ident(sp.customerId)} having count(*) >= ${min}`;
    return inSet(b, ids, !c.performed);
  }
  // LIMIT lets PostgreSQL stop counting once the threshold is reached.
  const counted = `(select count(*) from (select 1 from ${ident(e.table)} e ${profile} and sp.${ident(sp.customerId)} = ${col(C, cu.id)} where ${where.join(' and ')} limit ${min}) x)`;
  return c.performed ? `(${counted} >= ${min})` : `(${counted} < ${min})`;
}

function compileWith(rule: SegmentRule, ctx: CompileContext, params: unknown[], sets: boolean): string {
  const b = new Builder(ctx, ctx.schema ?? segmentSqlSchema);
  b.params.push(...params);
  b.sets = sets;
  const sql = compileRule(b, rule, ctx.segmentId !== undefined ? [ctx.segmentId] : []);
  params.splice(0, params.length, ...b.params);
  return sql;
}

/** The boolean SQL predicate over `customers c`, appending its values to `params` (whose placeholders it continues). */
export function compileSegmentPredicate(rule: SegmentRule, ctx: CompileContext, params: unknown[]): string {
  return compileWith(rule, ctx, params, false);
}

/**
 * One parameterized query: `select c.id from customers c where c.tenant_id = $1 and (<rule>)`. Over the whole tenant,
 * conditions on other tables are memberships in id sets computed once each (set-based: each table is read once, and
 * only if needed); restricted to `customerIds`, they are correlated subqueries (a few index probes each).
 * Throws SegmentCycleError when inline segment references loop (validate first to get a located error).
 */
export function compileSegment(rule: SegmentRule, ctx: CompileContext): CompiledSql {
  const s = ctx.schema ?? segmentSqlSchema;
  const params: unknown[] = [ctx.tenantId];
  const predicate = compileWith(rule, ctx, params, !ctx.customerIds);
  const cu = s.customers;
  const where = [`${col(C, cu.tenantId)} = $1::uuid`, predicate];
  if (ctx.customerIds) {
    params.push([...ctx.customerIds]);
    where.push(`${col(C, cu.id)} = any($${params.length}::uuid[])`);
  }
  return { sql: `select ${col(C, cu.id)} as customer_id from ${ident(cu.table)} ${C} where ${where.join(' and ')}`, params };
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
