// The experiment and metric definitions: one zod schema shared by the API, the setup form, the experiment workflow
// and the results query. Metrics are defined once per tenant and referenced by id from experiments.
import { z } from 'zod';
import { eventMatch } from '../journeys/definition.ts';
import { CHANNELS } from '../segments/rule.ts';
import { fullFactorialCells, type Factor } from './factorial.ts';

const key = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" or "_", at most 64');
const name = z.string().trim().min(1).max(200);
const uuid = z.uuid();
/** Attribution window after a customer's first exposure, in hours (at most a year). */
const windowHours = z.number().int().min(1).max(24 * 366).default(24 * 7);

/**
 * What a metric measures per exposed customer, counted from their first exposure for `windowHours`:
 * - conversion: share of customers with at least one matching event (or a non-cancelled order);
 * - revenue_per_customer: mean order revenue (minor units; zero for non-buyers);
 * - average_order_value: total revenue / number of orders (a ratio metric: delta method);
 * - email_open_rate / email_click_rate: share of customers who opened / clicked an email sent to them in the window.
 */
export const metricDefinition = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('conversion'),
    source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('event'), match: eventMatch }), z.object({ kind: z.literal('order') })]),
    windowHours,
  }),
  z.object({ type: z.literal('revenue_per_customer'), windowHours }),
  z.object({ type: z.literal('average_order_value'), windowHours }),
  z.object({ type: z.literal('email_open_rate'), windowHours }),
  z.object({ type: z.literal('email_click_rate'), windowHours }),
]);
export type MetricDefinition = z.infer<typeof metricDefinition>;
export type MetricType = MetricDefinition['type'];

export const metricInput = z.object({
  key,
  name,
  description: z.string().max(2000).nullish(),
  definition: metricDefinition,
  /** False for metrics where down is good (e.g. unsubscribes): results are oriented so "win" means better. */
  higherIsBetter: z.boolean().default(true),
});
export type MetricInput = z.infer<typeof metricInput>;

export const variantSpec = z.object({
  key,
  name,
  /** Relative weight (normalized over variants); changing it later never reshuffles already exposed customers. */
  weight: z.number().min(0).max(100),
  /** Campaign content for this variant (segment audience): the template sent on the experiment's channel. */
  templateId: z.string().min(1).max(100).optional(),
});
export type VariantSpec = z.infer<typeof variantSpec>;

export const factorSpec = z.object({ key, name, levels: z.array(z.object({ key, name })).min(2).max(5) });
export type FactorSpec = z.infer<typeof factorSpec>;

/** A/B/n: the first variant is the control. Multivariate: full factorial; the control is every factor's first level. */
export const experimentDesign = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ab'), variants: z.array(variantSpec).min(2).max(10) }),
  z.object({
    kind: z.literal('multivariate'),
    factors: z.array(factorSpec).min(2).max(3),
    /** Per-cell templates for campaign sends, keyed by the cell key (see `variantsOf`). */
    templates: z.record(z.string(), z.string().min(1).max(100)).default({}),
  }),
]);
export type ExperimentDesign = z.infer<typeof experimentDesign>;

/**
 * Who is in it: members of a segment (a one-off campaign when variants carry templates: sent once at start),
 * the customers passing a journey's experiment node (its variant ports are the experiment's variant keys), or
 * whoever the product asks about through `POST /experiments/{id}/assign` (feature-flag style).
 */
export const experimentAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('segment'), segmentId: uuid, channel: z.enum(CHANNELS).default('email') }),
  z.object({ kind: z.literal('journey'), journeyId: uuid, nodeId: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('api') }),
]);
export type ExperimentAudience = z.infer<typeof experimentAudience>;

export const analysisSettings = z.object({
  alpha: z.number().min(0.001).max(0.2).default(0.05),
  /** Sequential (always-valid) is the default for automatic decisions; fixed-horizon p-values are shown beside it. */
  decisionRule: z.enum(['sequential', 'fixed']).default('sequential'),
  correction: z.enum(['holm-bonferroni', 'benjamini-hochberg', 'none']).default('holm-bonferroni'),
  /** CUPED with the same metric over the same window before exposure. */
  cuped: z.boolean().default(true),
  evaluationIntervalMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
});
export type AnalysisSettings = z.infer<typeof analysisSettings>;

export const experimentInput = z.object({
  name,
  description: z.string().max(5000).nullish(),
  hypothesis: z.string().max(5000).nullish(),
  design: experimentDesign,
  holdoutPercent: z.number().min(0).max(50).default(0),
  audience: experimentAudience,
  primaryMetricId: uuid,
  guardrailMetricIds: z.array(uuid).max(10).default([]),
  minSamplePerVariant: z.number().int().min(10).max(10_000_000).default(100),
  analysis: analysisSettings.default(analysisSettings.parse({})),
  /** Select the winner and route all new traffic to it as soon as the decision rule is met. */
  autoSelectWinner: z.boolean().default(true),
  /** Optional start (the workflow waits) and end (stops without a decision). */
  schedule: z.object({ startAt: z.iso.datetime().optional(), endAt: z.iso.datetime().optional() }).default({}),
});
export type ExperimentInput = z.input<typeof experimentInput>;
export type ExperimentDefinition = z.infer<typeof experimentInput>;

export type ExperimentStatus = 'draft' | 'scheduled' | 'running' | 'stopped' | 'completed';

export interface Variant {
  key: string;
  name: string;
  weight: number;
  isControl: boolean;
  templateId?: string;
  /** Multivariate: the level of each factor. */
  levels?: Record<string, string>;
}

/**
 * The variants of a design, control first. Multivariate cells get equal weights and keys like `color-red__size-l`
 * (usable as a journey port id).
 */
export function variantsOf(design: ExperimentDesign): Variant[] {
  if (design.kind === 'ab') return design.variants.map((v, i) => ({ key: v.key, name: v.name, weight: v.weight, isControl: i === 0, ...(v.templateId ? { templateId: v.templateId } : {}) }));
  const factors: Factor[] = design.factors.map((f) => ({ name: f.key, levels: f.levels.map((l) => l.key) }));
  return fullFactorialCells(factors).map((cell, i) => {
    const k = design.factors.map((f) => `${f.key}-${cell[f.key]}`).join('__');
    const label = design.factors.map((f) => f.levels.find((l) => l.key === cell[f.key])?.name ?? cell[f.key]).join(' · ');
    const templateId = design.templates[k];
    return { key: k, name: label, weight: 1, isControl: i === 0, levels: cell, ...(templateId ? { templateId } : {}) };
  });
}

/** The assignment label of customers held out of every variant. */
export const HOLDOUT = 'holdout';
