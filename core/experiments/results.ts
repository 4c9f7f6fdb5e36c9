// The shape of one evaluation of an experiment: what the workflow stores in experiment_evaluations.results, what
// GET /experiments/{id}/results returns and what the results page draws. Produced by `analyzeExperiment`
// (core/experiments/analyze.ts) from per-variant sufficient statistics that the results query computes in SQL.
import type { Decision } from './decision.ts';
import type { MetricType } from './definition.ts';

export interface Interval {
  estimate: number;
  /** Two-sided (1 − alpha) interval; the sequential one is an always-valid confidence sequence. */
  lower: number;
  upper: number;
}

export interface VariantMetricResult {
  variant: string;
  /** Exposed customers counted for this metric. */
  units: number;
  /** Conversions, revenue (minor units) or opens/clicks summed over units; for AOV, total revenue. */
  numerator: number;
  /** Units for means and proportions; orders for AOV. */
  denominator: number;
  /** Rate, mean or ratio. */
  value: number;
  /** Against control; absent on the control row. */
  vsControl?: {
    relative: Interval;
    absolute: Interval;
    /** Fixed-horizon two-sided p-value, adjusted for the number of variants (analysis.correction). */
    pValue: number;
    /** Sequential (always-valid) two-sided p-value: what automatic decisions use by default. */
    sequentialPValue: number;
    sequentialRelative: Interval;
    /** Bayesian: posterior chance to beat control, and expected loss of choosing it (relative units). */
    chanceToWin: number;
    expectedLoss: number;
    /** Whether CUPED adjusted this comparison (pre-period data existed). */
    cuped: boolean;
  };
}

export interface MetricResult {
  metricId: string;
  key: string;
  name: string;
  type: MetricType;
  role: 'primary' | 'guardrail';
  higherIsBetter: boolean;
  variants: VariantMetricResult[];
  /** Multivariate only: main effect of each non-baseline level per factor (primary metric only). */
  mainEffects?: { factor: string; level: string; baseline: string; relative: Interval; pValue: number }[];
}

export interface ExperimentResults {
  asOf: string;
  /** Exposed customers per variant (control first) and the share the weights expect. */
  exposures: { variant: string; units: number; expectedShare: number }[];
  holdoutUnits: number;
  srm: { pValue: number; mismatch: boolean };
  metrics: MetricResult[];
  decision: Decision;
}

/** One stored evaluation: the results page lists them to show how the estimate moved. */
export interface EvaluationRecord {
  id: number;
  experimentId: string;
  evaluatedAt: string;
  trigger: 'start' | 'timer' | 'manual' | 'final';
  results: ExperimentResults;
}

/** Who decided and why: stored on the experiment when it stops or picks a winner. */
export interface ExperimentDecisionRecord {
  kind: 'winner' | 'stopped';
  /** The shipped variant key (kind winner). */
  variant?: string;
  reason: string;
  /** 'auto' (decision rule), 'schedule' (end date), or the user/API principal that asked. */
  by: string;
  at: string;
}
