// Ratio metrics (average order value = revenue / orders, per variant) by the delta method: the variance of
// X̄/Ȳ from per-unit sums of X, Y, X², Y² and XY (GrowthBook's RatioStatistic). The result is handed to the
// ordinary tests as an equivalent `mean` VariantStats (same n, mean = ratio, variance/n = Var(ratio)), so the
// t-test, the sequential test and the Bayesian posterior treat it like any other metric. Pure.
import type { VariantStats } from './sufficient-stats.ts';

/** Per-variant sums over units (customers): X numerator (e.g. revenue), Y denominator (e.g. orders). */
export interface RatioStats {
  n: number;
  sumX: number;
  sumX2: number;
  sumY: number;
  sumY2: number;
  sumXY: number;
}

export interface RatioEstimate {
  ratio: number;
  /** Delta-method variance of the ratio of means. */
  variance: number;
}

/** X̄/Ȳ and Var ≈ (σx²/μy² − 2μxσxy/μy³ + μx²σy²/μy⁴) / n; 0 / 0 ratio when there is no denominator. */
export function ratioEstimate(s: RatioStats): RatioEstimate {
  if (s.n < 2 || !(s.sumY > 0)) return { ratio: s.sumY > 0 ? s.sumX / s.sumY : 0, variance: 0 };
  const n = s.n;
  const mx = s.sumX / n;
  const my = s.sumY / n;
  const vx = Math.max(0, (s.sumX2 - n * mx * mx) / (n - 1));
  const vy = Math.max(0, (s.sumY2 - n * my * my) / (n - 1));
  const cxy = (s.sumXY - n * mx * my) / (n - 1);
  const v = (vx / my ** 2 - (2 * mx * cxy) / my ** 3 + (mx * mx * vy) / my ** 4) / n;
  return { ratio: mx / my, variance: Math.max(0, v) };
}

/** The `mean` VariantStats with the same n whose mean and standard error are the ratio's. */
export function ratioAsMean(s: RatioStats): VariantStats {
  const { ratio, variance } = ratioEstimate(s);
  const n = s.n;
  const sum = n * ratio;
  // variance(stats) = (sumSquares − sum²/n)/(n − 1) must equal n·Var(ratio).
  const sumSquares = n > 1 ? n * variance * (n - 1) + (sum * sum) / n : sum * sum;
  return { kind: 'mean', n, sum, sumSquares };
}
