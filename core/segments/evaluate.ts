// Evaluates a segment rule for ONE customer from facts already in memory: the incremental path (an event, order or
// score change re-checks one customer without a query). It follows the SQL compiler's semantics exactly
// (core/segments/semantics.ts), which db tests check on the same data.
import type { Address } from '../customers/golden-record.ts';
import { SegmentCycleError, type SegmentLookup } from './compile.ts';
import type { Condition, SegmentRule } from './rule.ts';
import { inRange, parseDateString, readPath, splitPath, testPredicate, typedJson, type Value, windowRange } from './semantics.ts';

export { testPredicate } from './semantics.ts';
import { segmentSqlSchema } from './sql-schema.ts';

export interface ProfileFacts {
  email?: string | null;
  phone?: string | null;
  documentNumber?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** YYYY-MM-DD. */
  birthDate?: string | null;
  createdAt?: Date | string | null;
  address?: Address | Record<string, unknown> | null;
  attributes?: Record<string, unknown> | null;
}

export interface ScoreFacts {
  rfmSegment?: string | null;
  lifecycleState?: string | null;
  clv1yMinor?: number | null;
  clv3yMinor?: number | null;
  clv5yMinor?: number | null;
  churnRisk?: number | null;
  pAlive?: number | null;
  propensity?: Record<string, unknown> | null;
}

export interface OrderFacts {
  status: string;
  currency: string;
  totalMinor: number;
  placedAt: Date | string;
  items: { productId?: string | null; sku?: string | null; category?: string | null; totalMinor: number }[];
}

/** A track event of the customer (identify messages are not "performed"). */
export interface EventFacts {
  event: string;
  timestamp: Date | string;
  properties?: Record<string, unknown> | null;
}

export interface CustomerFacts {
  profile: ProfileFacts;
  scores?: ScoreFacts | null;
  orders?: OrderFacts[];
  events?: EventFacts[];
  /** Ids of the segments the customer is currently a member of. */
  segments?: readonly string[];
  consents?: { channel: string; status: string }[];
}

export interface EvaluateOptions {
  /** As in CompileContext: read memberships (default) or evaluate the other segment's rule. */
  segments?: 'membership' | 'inline';
  lookup?: SegmentLookup;
}

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

export function evaluateSegment(rule: SegmentRule, facts: CustomerFacts, now: Date, opts: EvaluateOptions = {}): boolean {
  return evalRule(rule, facts, now, opts, []);
}

function evalRule(rule: SegmentRule, facts: CustomerFacts, now: Date, opts: EvaluateOptions, stack: string[]): boolean {
  if (rule.kind === 'group') {
    const results = rule.rules.map((r) => evalRule(r, facts, now, opts, stack));
    const v = rule.op === 'and' ? results.every(Boolean) : results.some(Boolean);
    return rule.negate ? !v : v;
  }
  return evalCondition(rule, facts, now, opts, stack);
}

function profileValue(p: ProfileFacts, field: Extract<Condition, { kind: 'profile' }>['field']): Value {
  if (field.startsWith('address.')) return typedJson((p.address as Record<string, unknown> | null | undefined)?.[field.slice(8)], 'string');
  if (field === 'birthDate') return p.birthDate ? parseDateString(p.birthDate) : undefined;
  if (field === 'createdAt') return p.createdAt ? toDate(p.createdAt) : undefined;
  const v = p[field as 'email'];
  return v ?? undefined;
}

function scoreValue(s: ScoreFacts | null | undefined, c: Extract<Condition, { kind: 'score' }>): Value {
  if (!s) return undefined;
  switch (c.score) {
    case 'propensity':
      return typedJson(s.propensity?.[c.category ?? ''], 'number');
    case 'clv1y':
      return s.clv1yMinor ?? undefined;
    case 'clv3y':
      return s.clv3yMinor ?? undefined;
    case 'clv5y':
      return s.clv5yMinor ?? undefined;
    default:
      return s[c.score] ?? undefined;
  }
}

function itemMatches(item: OrderFacts['items'][number], f: NonNullable<Extract<Condition, { kind: 'orders' }>['items']>): boolean {
  return Boolean(
    (item.category != null && f.categories?.includes(item.category)) ||
      (item.productId != null && f.productIds?.includes(item.productId)) ||
      (item.sku != null && f.skus?.includes(item.sku)),
  );
}

function ordersValue(orders: OrderFacts[], c: Extract<Condition, { kind: 'orders' }>, now: Date): Value {
  const range = windowRange(c.window, now);
  const excluded = segmentSqlSchema.excludedOrderStatuses;
  let matching = orders.filter((o) => !excluded.includes(o.status.toLowerCase()) && inRange(toDate(o.placedAt), range));
  if (c.metric === 'revenue' && c.currency) matching = matching.filter((o) => o.currency === c.currency);
  const items = c.items;
  switch (c.metric) {
    case 'revenue':
      return items
        ? matching.reduce((sum, o) => sum + o.items.filter((i) => itemMatches(i, items)).reduce((s, i) => s + i.totalMinor, 0), 0)
        : matching.reduce((sum, o) => sum + o.totalMinor, 0);
    case 'count':
      return (items ? matching.filter((o) => o.items.some((i) => itemMatches(i, items))) : matching).length;
    case 'lastOrderAt':
    case 'firstOrderAt': {
      const times = (items ? matching.filter((o) => o.items.some((i) => itemMatches(i, items))) : matching).map((o) => toDate(o.placedAt).getTime());
      if (!times.length) return undefined;
      return new Date(c.metric === 'lastOrderAt' ? Math.max(...times) : Math.min(...times));
    }
  }
}

function evalCondition(c: Condition, facts: CustomerFacts, now: Date, opts: EvaluateOptions, stack: string[]): boolean {
  switch (c.kind) {
    case 'profile':
      return testPredicate(profileValue(facts.profile, c.field), c.predicate, now);
    case 'attribute':
      return testPredicate(typedJson(facts.profile.attributes?.[c.key], c.predicate.type), c.predicate, now);
    case 'score':
      return testPredicate(scoreValue(facts.scores, c), c.predicate, now);
    case 'orders':
      return testPredicate(ordersValue(facts.orders ?? [], c, now), c.predicate, now);
    case 'event': {
      const range = windowRange(c.window, now);
      let n = 0;
      for (const e of facts.events ?? []) {
        if (e.event !== c.event || !inRange(toDate(e.timestamp), range)) continue;
        if (c.where.every((f) => testPredicate(typedJson(readPath(e.properties ?? undefined, splitPath(f.path)), f.predicate.type), f.predicate, now))) n++;
        if (n >= c.minCount) break;
      }
      return c.performed ? n >= c.minCount : n < c.minCount;
    }
    case 'segment': {
      let member: boolean;
      if (opts.segments === 'inline') {
        if (stack.includes(c.segmentId)) throw new SegmentCycleError([...stack.slice(stack.indexOf(c.segmentId)), c.segmentId]);
        const rule = opts.lookup?.(c.segmentId);
        if (!rule) throw new Error(`unknown segment ${c.segmentId}`);
        member = evalRule(rule, facts, now, opts, [...stack, c.segmentId]);
      } else {
        member = (facts.segments ?? []).includes(c.segmentId);
      }
      return c.member ? member : !member;
    }
    case 'consent': {
      const granted = (facts.consents ?? []).some((k) => k.channel === c.channel && k.status === segmentSqlSchema.consentGranted);
      return c.granted ? granted : !granted;
    }
  }
}
