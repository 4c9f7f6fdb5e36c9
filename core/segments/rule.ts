// The segment rule tree: one zod schema shared by the builder UI, the API, the SQL compiler and the in-memory
// evaluator. Predicates are typed (string / number / date / boolean) so every operator has one meaning in SQL and JS.
import { z } from 'zod';

export const MAX_RULE_DEPTH = 8;
export const MAX_RULE_CONDITIONS = 100;

const isoInstant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
/** A date bound: a calendar date (midnight UTC) or an instant with offset. */
const dateValue = z.union([isoInstant, isoDate]);
const days = z.number().int().min(1).max(36_500);

export const stringPredicate = z.discriminatedUnion('op', [
  z.object({ type: z.literal('string'), op: z.enum(['equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with']), value: z.string().max(1000) }),
  z.object({ type: z.literal('string'), op: z.enum(['in', 'not_in']), values: z.array(z.string().max(1000)).min(1).max(1000) }),
  z.object({ type: z.literal('string'), op: z.enum(['exists', 'not_exists']) }),
]);

export const numberPredicate = z.discriminatedUnion('op', [
  z.object({ type: z.literal('number'), op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value: z.number().finite() }),
  z.object({ type: z.literal('number'), op: z.literal('between'), min: z.number().finite(), max: z.number().finite() }),
  z.object({ type: z.literal('number'), op: z.enum(['exists', 'not_exists']) }),
]);

export const datePredicate = z.discriminatedUnion('op', [
  z.object({ type: z.literal('date'), op: z.enum(['before', 'after']), value: dateValue }),
  z.object({ type: z.literal('date'), op: z.literal('between'), from: dateValue, to: dateValue }),
  /** In (now − N days, now]. */
  z.object({ type: z.literal('date'), op: z.literal('within_last_days'), days }),
  /** At or before now − N days. */
  z.object({ type: z.literal('date'), op: z.literal('more_than_days_ago'), days }),
  z.object({ type: z.literal('date'), op: z.enum(['exists', 'not_exists']) }),
]);

export const booleanPredicate = z.discriminatedUnion('op', [
  z.object({ type: z.literal('boolean'), op: z.enum(['is_true', 'is_false', 'exists', 'not_exists']) }),
]);

export const predicate = z.discriminatedUnion('type', [stringPredicate, numberPredicate, datePredicate, booleanPredicate]);
export type StringPredicate = z.infer<typeof stringPredicate>;
export type NumberPredicate = z.infer<typeof numberPredicate>;
export type DatePredicate = z.infer<typeof datePredicate>;
export type BooleanPredicate = z.infer<typeof booleanPredicate>;
export type Predicate = z.infer<typeof predicate>;
export type ValueType = Predicate['type'];

/** Golden-record fields a rule can read, with their value type. */
export const PROFILE_FIELDS = {
  email: 'string',
  phone: 'string',
  documentNumber: 'string',
  firstName: 'string',
  lastName: 'string',
  birthDate: 'date',
  createdAt: 'date',
  'address.city': 'string',
  'address.province': 'string',
  'address.postalCode': 'string',
  'address.country': 'string',
} as const satisfies Record<string, ValueType>;
export type ProfileField = keyof typeof PROFILE_FIELDS;

// The values nightly scoring stores (customer_scores.rfm_segment / lifecycle_state): one vocabulary.
import { LIFECYCLE_STATES } from '../scoring/lifecycle.ts';
import { RFM_SEGMENTS } from '../scoring/rfm.ts';

export { LIFECYCLE_STATES, RFM_SEGMENTS };

/** Scores from nightly scoring (issue 5) and their value type. CLV is in minor units; probabilities are 0..1. */
export const SCORES = {
  rfmSegment: 'string',
  lifecycleState: 'string',
  clv1y: 'number',
  clv3y: 'number',
  clv5y: 'number',
  churnRisk: 'number',
  pAlive: 'number',
  propensity: 'number',
} as const satisfies Record<string, ValueType>;
export type ScoreName = keyof typeof SCORES;

export const CHANNELS = ['email', 'whatsapp', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A dot path into a JSON object (event properties); segments are plain keys, no wildcards. */
export const propertyPath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^.\s][^.]*(\.[^.\s][^.]*)*$/, 'a dot path like "cart.total"');

export const propertyFilter = z.object({ path: propertyPath, predicate });
export type PropertyFilter = z.infer<typeof propertyFilter>;

/** A time window over orders or events; absent means all time. Days are 24-hour periods ending now. */
export const timeWindow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('last_days'), days }),
  /** from ≤ t < to. */
  z.object({ kind: z.literal('between'), from: dateValue, to: dateValue }),
]);
export type TimeWindow = z.infer<typeof timeWindow>;

const segmentId = z.string().min(1).max(100);

export const profileCondition = z.object({ kind: z.literal('profile'), field: z.enum(Object.keys(PROFILE_FIELDS) as [ProfileField, ...ProfileField[]]), predicate });
export const attributeCondition = z.object({ kind: z.literal('attribute'), key: z.string().min(1).max(200), predicate });
export const scoreCondition = z.object({
  kind: z.literal('score'),
  score: z.enum(Object.keys(SCORES) as [ScoreName, ...ScoreName[]]),
  /** Product category, for propensity only. */
  category: z.string().min(1).max(200).optional(),
  predicate,
});

export const itemFilter = z
  .object({
    categories: z.array(z.string().min(1)).max(200).optional(),
    productIds: z.array(z.string().min(1)).max(200).optional(),
    skus: z.array(z.string().min(1)).max(200).optional(),
  })
  .refine((f) => Boolean(f.categories?.length || f.productIds?.length || f.skus?.length), 'name at least one category, product or sku');
export type ItemFilter = z.infer<typeof itemFilter>;

export const ORDER_METRICS = { count: 'number', revenue: 'number', lastOrderAt: 'date', firstOrderAt: 'date' } as const satisfies Record<string, ValueType>;
export type OrderMetric = keyof typeof ORDER_METRICS;

export const ordersCondition = z.object({
  kind: z.literal('orders'),
  metric: z.enum(Object.keys(ORDER_METRICS) as [OrderMetric, ...OrderMetric[]]),
  window: timeWindow.optional(),
  /** Only orders containing a matching item count; revenue then sums the matching items only. */
  items: itemFilter.optional(),
  /** Revenue in one currency (minor units); other currencies are ignored. */
  currency: z.string().length(3).optional(),
  predicate,
});

export const eventCondition = z.object({
  kind: z.literal('event'),
  event: z.string().min(1).max(200),
  /** performed: at least minCount matching events; not performed: fewer than minCount (default 1: none). */
  performed: z.boolean().default(true),
  minCount: z.number().int().min(1).max(1_000_000).default(1),
  window: timeWindow.optional(),
  where: z.array(propertyFilter).max(20).default([]),
});

export const segmentCondition = z.object({ kind: z.literal('segment'), segmentId, member: z.boolean().default(true) });
export const consentCondition = z.object({ kind: z.literal('consent'), channel: z.enum(CHANNELS), granted: z.boolean().default(true) });

export const condition = z.discriminatedUnion('kind', [
  profileCondition, attributeCondition, scoreCondition, ordersCondition, eventCondition, segmentCondition, consentCondition,
]);
export type Condition = z.infer<typeof condition>;
export type ConditionInput = z.input<typeof condition>;

export interface RuleGroup {
  kind: 'group';
  op: 'and' | 'or';
  negate?: boolean;
  rules: SegmentRule[];
}
export type SegmentRule = RuleGroup | Condition;
export interface RuleGroupInput {
  kind: 'group';
  op: 'and' | 'or';
  negate?: boolean;
  rules: SegmentRuleInput[];
}
export type SegmentRuleInput = RuleGroupInput | ConditionInput;

const ruleGroupShape = z.object({
  kind: z.literal('group'),
  op: z.enum(['and', 'or']),
  /** NOT over the whole group. */
  negate: z.boolean().optional(),
  get rules(): z.ZodArray<z.ZodType<SegmentRule, SegmentRuleInput>> {
    return z.array(segmentRuleShape).min(1).max(MAX_RULE_CONDITIONS);
  },
});

// A discriminated union (not a plain union) so a bad rule reports the error inside the branch its `kind` names.
const segmentRuleShape: z.ZodType<SegmentRule, SegmentRuleInput> = z.discriminatedUnion('kind', [
  ruleGroupShape, profileCondition, attributeCondition, scoreCondition, ordersCondition, eventCondition, segmentCondition, consentCondition,
]);
export const ruleGroup = ruleGroupShape;

function expectedType(c: Condition): ValueType | undefined {
  switch (c.kind) {
    case 'profile':
      return PROFILE_FIELDS[c.field];
    case 'score':
      return SCORES[c.score];
    case 'orders':
      return ORDER_METRICS[c.metric];
    default:
      return undefined;
  }
}

/** Type agreement, enum values, depth and size: checks zod's shape cannot express. */
function checkRule(rule: SegmentRule, ctx: z.RefinementCtx, path: (string | number)[], depth: number, count: { n: number }): void {
  if (depth > MAX_RULE_DEPTH) {
    ctx.addIssue({ code: 'custom', path, message: `groups nest at most ${MAX_RULE_DEPTH} deep` });
    return;
  }
  if (rule.kind === 'group') {
    rule.rules.forEach((r, i) => checkRule(r, ctx, [...path, 'rules', i], depth + 1, count));
    return;
  }
  count.n++;
  if (count.n === MAX_RULE_CONDITIONS + 1) ctx.addIssue({ code: 'custom', path, message: `a segment holds at most ${MAX_RULE_CONDITIONS} conditions` });
  const want = expectedType(rule);
  if ('predicate' in rule && want && rule.predicate.type !== want) {
    ctx.addIssue({ code: 'custom', path: [...path, 'predicate', 'type'], message: `expected a ${want} predicate here, got ${rule.predicate.type}` });
  }
  if (rule.kind === 'score') {
    if (rule.score === 'propensity' && !rule.category) ctx.addIssue({ code: 'custom', path: [...path, 'category'], message: 'propensity needs a category' });
    if (rule.score !== 'propensity' && rule.category) ctx.addIssue({ code: 'custom', path: [...path, 'category'], message: 'only propensity takes a category' });
    const allowed: readonly string[] | undefined = rule.score === 'rfmSegment' ? RFM_SEGMENTS : rule.score === 'lifecycleState' ? LIFECYCLE_STATES : undefined;
    const p = rule.predicate;
    if (allowed && p.type === 'string') {
      const values = 'values' in p ? p.values : 'value' in p ? [p.value] : [];
      values.forEach((v, i) => {
        if (!allowed.includes(v)) ctx.addIssue({ code: 'custom', path: [...path, 'predicate', 'values' in p ? 'values' : 'value', ...('values' in p ? [i] : [])], message: `unknown ${rule.score} "${v}"; one of ${allowed.join(', ')}` });
      });
      if (['contains', 'not_contains', 'starts_with', 'ends_with'].includes(p.op)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'predicate', 'op'], message: `${rule.score} takes equals, not_equals, in, not_in or exists` });
      }
    }
  }
  if (rule.kind === 'orders') {
    if (rule.currency && rule.metric !== 'revenue') ctx.addIssue({ code: 'custom', path: [...path, 'currency'], message: 'currency applies to revenue only' });
  }
  if ('predicate' in rule && rule.predicate.type === 'number' && rule.predicate.op === 'between' && rule.predicate.min > rule.predicate.max) {
    ctx.addIssue({ code: 'custom', path: [...path, 'predicate', 'max'], message: 'max must not be below min' });
  }
}

/** The segment rule: a group or a single condition, checked for type agreement, depth and size. */
export const segmentRule: z.ZodType<SegmentRule, SegmentRuleInput> = segmentRuleShape
  .superRefine((rule, ctx) => checkRule(rule, ctx, [], 0, { n: 0 }))
  .meta({ id: 'SegmentRule' });

/** Walks every condition with its JSON path. */
export function forEachCondition(rule: SegmentRule, fn: (c: Condition, path: (string | number)[]) => void, path: (string | number)[] = []): void {
  if (rule.kind === 'group') rule.rules.forEach((r, i) => forEachCondition(r, fn, [...path, 'rules', i]));
  else fn(rule, path);
}
