// One evaluation of an experiment, from per-variant sufficient statistics (computed in SQL by
// db/queries/experiment-results.ts) to the ExperimentResults the workflow stores and the results page shows:
// lifts with fixed and sequential intervals, corrected p-values, Bayesian chance to win, SRM, multivariate main
// effects and the decide() verdict. Pure: no clock (asOf comes in), no I/O.
import { bayesianTest } from './bayesian.ts';
import { adjustPValues } from './corrections.ts';
import { cupedAdjust, type CupedStats } from './cuped.ts';
import { decide, type MetricVerdict } from './decision.ts';
import type { AnalysisSettings, MetricType, Variant } from './definition.ts';
import { mainEffectArms, type Factor } from './factorial.ts';
import { sequentialTest, tTest } from './frequentist.ts';
import { ratioAsMean, ratioEstimate } from './ratio.ts';
import type { ExperimentResults, Interval, MetricResult, VariantMetricResult } from './results.ts';
import { SRM_THRESHOLD, srmPValue } from './srm.ts';
import type { VariantStats } from './sufficient-stats.ts';

/**
 * Sums over one variant's exposed customers for one metric. `sum`/`sumSquares` are of the per-customer value
 * (0/1 for rates). AOV also carries the denominator (orders) sums and the cross-product. `pre` is the same metric
 * over the same window length before exposure (CUPED), when the query could compute it.
 */
export interface ArmStats {
  n: number;
  sum: number;
  sumSquares: number;
  denominator?: { sum: number; sumSquares: number; crossSum: number };
  pre?: { sum: number; sumSquares: number; crossSum: number };
}

export interface MetricStatsInput {
  metricId: string;
  key: string;
  name: string;
  type: MetricType;
  role: 'primary' | 'guardrail';
  higherIsBetter: boolean;
  /** By variant key; a variant with no row counts as zero units. */
  arms: Record<string, ArmStats>;
}

export interface AnalyzeInput {
  asOf: string;
  /** Control first (variantsOf). */
  variants: readonly Pick<Variant, 'key' | 'weight' | 'isControl' | 'levels'>[];
  /** Multivariate factors (levels[0] baseline), to report main effects on the primary metric. */
  factors?: readonly Factor[];
  exposures: Record<string, number>;
  holdoutUnits: number;
  metrics: readonly MetricStatsInput[];
  analysis: Pick<AnalysisSettings, 'alpha' | 'decisionRule' | 'correction' | 'cuped'>;
  minSamplePerVariant: number;
}

const EMPTY: ArmStats = { n: 0, sum: 0, sumSquares: 0 };
const isRate = (t: MetricType) => t === 'conversion' || t === 'email_open_rate' || t === 'email_click_rate';
const finite = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);
const interval = (estimate: number, ci: readonly [number, number]): Interval => ({ estimate, lower: ci[0], upper: ci[1] });

/** The statistics the tests see for each arm: plain, CUPED-adjusted, or the ratio's mean equivalent. */
function testStats(m: MetricStatsInput, arms: ArmStats[], useCuped: boolean): { stats: VariantStats[]; cuped: boolean } {
  if (m.type === 'average_order_value') {
    return {
      stats: arms.map((a) => ratioAsMean({ n: a.n, sumX: a.sum, sumX2: a.sumSquares, sumY: a.denominator?.sum ?? 0, sumY2: a.denominator?.sumSquares ?? 0, sumXY: a.denominator?.crossSum ?? 0 })),
      cuped: false,
    };
  }
  const hasPre = useCuped && arms.every((a) => a.pre) && arms.some((a) => a.pre!.sumSquares - (a.pre!.sum * a.pre!.sum) / Math.max(1, a.n) > 0);
  if (hasPre && arms.every((a) => a.n >= 2)) {
    const cs: CupedStats[] = arms.map((a) => ({ n: a.n, postSum: a.sum, postSumSquares: a.sumSquares, preSum: a.pre!.sum, preSumSquares: a.pre!.sumSquares, crossSum: a.pre!.crossSum }));
    return { stats: cupedAdjust(cs), cuped: true };
  }
  return { stats: arms.map((a) => (isRate(m.type) ? { kind: 'proportion', n: a.n, sum: a.sum } : { kind: 'mean', n: a.n, sum: a.sum, sumSquares: a.sumSquares })), cuped: false };
}

interface Comparison {
  row: NonNullable<VariantMetricResult['vsControl']>;
  rawP: number;
  rawSeqP: number;
}

function compare(control: VariantStats, variant: VariantStats, alpha: number, higherIsBetter: boolean, cuped: boolean): Comparison {
  const rel = tTest(control, variant, { alpha, scale: 'relative' });
  const abs = tTest(control, variant, { alpha, scale: 'absolute' });
  const seq = sequentialTest(control, variant, { alpha, scale: 'relative' });
  // p-values test the difference itself (absolute scale, the two-proportion / Welch test): the relative scale's delta
  // method adds the control mean's own uncertainty, which at small samples and low rates hides a real difference
  // for thousands of units. The relative intervals are still reported for reading the lift.
  const absSeq = sequentialTest(control, variant, { alpha, scale: 'absolute' });
  const bayes = bayesianTest(control, variant, { alpha, scale: 'relative' });
  // Oriented: "win" means better for this metric, so a lower-is-better metric wins when the estimate falls.
  const chanceToWin = higherIsBetter ? bayes.chanceToWin : 1 - bayes.chanceToWin;
  const expectedLoss = higherIsBetter ? bayes.risk[1] : bayes.risk[0];
  return {
    row: {
      relative: interval(rel.estimate, rel.ci),
      absolute: interval(abs.estimate, abs.ci),
      pValue: abs.pValue,
      sequentialPValue: absSeq.pValue,
      sequentialRelative: interval(seq.estimate, seq.ci),
      chanceToWin: finite(chanceToWin, 0.5),
      expectedLoss: finite(expectedLoss, 0),
      cuped,
    },
    rawP: abs.pValue,
    rawSeqP: absSeq.pValue,
  };
}

function analyzeMetric(m: MetricStatsInput, input: AnalyzeInput): MetricResult {
  const { alpha, correction } = input.analysis;
  const arms = input.variants.map((v) => m.arms[v.key] ?? EMPTY);
  const { stats, cuped } = testStats(m, arms, input.analysis.cuped);
  const control = stats[0]!;
  const comparisons = stats.slice(1).map((s) => compare(control, s, alpha, m.higherIsBetter, cuped));
  // Several variants against one control: both the fixed and the sequential p-values are corrected as a family.
  const adjP = adjustPValues(comparisons.map((c) => c.rawP), correction);
  const adjSeq = adjustPValues(comparisons.map((c) => c.rawSeqP), correction);
  const variants: VariantMetricResult[] = input.variants.map((v, i) => {
    const a = arms[i]!;
    const denominator = m.type === 'average_order_value' ? (a.denominator?.sum ?? 0) : a.n;
    const value = m.type === 'average_order_value' ? ratioEstimate({ n: a.n, sumX: a.sum, sumX2: a.sumSquares, sumY: denominator, sumY2: a.denominator?.sumSquares ?? 0, sumXY: a.denominator?.crossSum ?? 0 }).ratio : a.n > 0 ? a.sum / a.n : 0;
    const row: VariantMetricResult = { variant: v.key, units: a.n, numerator: a.sum, denominator, value };
    if (i > 0) {
      const c = comparisons[i - 1]!;
      row.vsControl = { ...c.row, pValue: adjP[i - 1]!, sequentialPValue: adjSeq[i - 1]! };
    }
    return row;
  });
  const result: MetricResult = { metricId: m.metricId, key: m.key, name: m.name, type: m.type, role: m.role, higherIsBetter: m.higherIsBetter, variants };
  if (m.role === 'primary' && input.factors?.length) {
    const cells = input.variants.map((v, i) => ({ cell: v.levels ?? {}, stats: stats[i]! }));
    result.mainEffects = mainEffectArms(input.factors, cells).flatMap((f) =>
      f.levels.map((l) => {
        const t = tTest(f.baseline.stats, l.stats, { alpha, scale: 'relative' });
        const d = tTest(f.baseline.stats, l.stats, { alpha, scale: 'absolute' });
        return { factor: f.factor, level: l.level, baseline: f.baseline.level, relative: interval(t.estimate, t.ci), pValue: d.pValue };
      }),
    );
  }
  return result;
}

export function analyzeExperiment(input: AnalyzeInput): ExperimentResults {
  const weightSum = input.variants.reduce((a, v) => a + v.weight, 0);
  const exposures = input.variants.map((v) => ({ variant: v.key, units: input.exposures[v.key] ?? 0, expectedShare: weightSum > 0 ? v.weight / weightSum : 0 }));
  const srmP = srmPValue(
    exposures.map((e) => e.units),
    input.variants.map((v) => v.weight),
  );
  const metrics = input.metrics.map((m) => analyzeMetric(m, input));
  const sequential = input.analysis.decisionRule === 'sequential';
  const verdict = (mr: MetricResult | undefined, variantKey: string): MetricVerdict | null => {
    const row = mr?.variants.find((r) => r.variant === variantKey)?.vsControl;
    if (!mr || !row) return null;
    const est = row.relative.estimate;
    return { metric: mr.key, pValue: sequential ? row.sequentialPValue : row.pValue, estimate: mr.higherIsBetter ? est : -est };
  };
  const primary = metrics.find((m) => m.role === 'primary');
  const guardrails = metrics.filter((m) => m.role === 'guardrail');
  const decision = !primary
    ? { kind: 'continue' as const, reason: 'No primary metric.' }
    : decide({
        variants: input.variants.slice(1).map((v, i) => ({
          variant: v.key,
          units: exposures[i + 1]!.units,
          primary: verdict(primary, v.key)!,
          guardrails: guardrails.map((g) => verdict(g, v.key)).filter((x): x is MetricVerdict => x !== null),
        })),
        controlUnits: exposures[0]?.units ?? 0,
        minSamplePerVariant: input.minSamplePerVariant,
        srmPValue: srmP,
        srmThreshold: SRM_THRESHOLD,
        alpha: input.analysis.alpha,
      });
  return { asOf: input.asOf, exposures, holdoutUnits: input.holdoutUnits, srm: { pValue: srmP, mismatch: srmP < SRM_THRESHOLD }, metrics, decision };
}
