// CUPED (regression adjustment with pre-period data): subtract θ·(pre-period metric) from each unit's metric,
// θ = pooled cov(post, pre) / pooled var(pre). The effect is unchanged in expectation and its variance shrinks
// by the squared correlation. Works on sufficient statistics, so no unit-level data leaves the database. Pure.
import type { VariantStats } from './sufficient-stats.ts';

/** Per-variant sums for the metric (post) and the same metric before exposure (pre). */
export interface CupedStats {
  n: number;
  postSum: number;
  postSumSquares: number;
  preSum: number;
  preSumSquares: number;
  /** Σ post·pre over units. */
  crossSum: number;
}

const cov = (s: CupedStats) => (s.crossSum - (s.postSum * s.preSum) / s.n) / (s.n - 1);
const varPre = (s: CupedStats) => (s.preSumSquares - (s.preSum * s.preSum) / s.n) / (s.n - 1);

/** θ pooled over all variants (the same θ for every arm keeps the estimate unbiased). */
export function cupedTheta(arms: readonly CupedStats[]): number {
  let c = 0;
  let v = 0;
  for (const s of arms) {
    if (s.n < 2) continue;
    c += cov(s) * (s.n - 1);
    v += varPre(s) * (s.n - 1);
  }
  return v > 0 ? c / v : 0;
}

/**
 * The adjusted metric as sufficient statistics of Y' = post − θ·(pre − mean of pre over all arms): a plain
 * `mean` VariantStats that every test (t-test, sequential, Bayesian) accepts unchanged. Centring on the pooled
 * pre mean keeps the control mean (the denominator of the relative effect) on the metric's own scale.
 */
export function cupedAdjust(arms: readonly CupedStats[], theta = cupedTheta(arms)): VariantStats[] {
  const nAll = arms.reduce((a, s) => a + s.n, 0);
  const preMean = nAll > 0 ? arms.reduce((a, s) => a + s.preSum, 0) / nAll : 0;
  return arms.map((s) => {
    // Σ(post − θ(pre − c)) and Σ(post − θ(pre − c))², expanded over the sums.
    const sum = s.postSum - theta * (s.preSum - s.n * preMean);
    const centredPreSq = s.preSumSquares - 2 * preMean * s.preSum + s.n * preMean * preMean;
    const centredCross = s.crossSum - preMean * s.postSum;
    const sumSquares = s.postSumSquares - 2 * theta * centredCross + theta * theta * centredPreSq;
    return { kind: 'mean', n: s.n, sum, sumSquares };
  });
}
