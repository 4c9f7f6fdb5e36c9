// Bayesian comparison (GrowthBook's engine): a normal posterior on the effect, chance to beat control and
// expected loss ("risk") of each choice; Beta-Binomial chance to win for conversions (Evan Miller's closed
// form) and the probability of being best among several arms. Pure.
import { lbeta } from '../math/special.ts';
import { betaCdf, betaPdf, normalCdf, normalPdf, normalQuantile } from './distributions.ts';
import { effect, type EffectScale, type VariantStats } from './sufficient-stats.ts';

export interface BayesianOptions {
  scale?: EffectScale;
  alpha?: number;
  /** Proper normal prior on the effect; default flat (improper). */
  prior?: { mean: number; stddev: number };
}

export interface BayesianResult {
  estimate: number;
  standardError: number;
  /** P(effect > 0). */
  chanceToWin: number;
  /** Credible interval (equal tails). */
  ci: [number, number];
  /** Expected loss of shipping control [0] and of shipping the variant [1], in effect units. */
  risk: [number, number];
  scale: EffectScale;
}

/** Expected loss of each choice under N(μ, σ²): E[max(δ, 0)] for keeping control, E[max(−δ, 0)] for shipping. */
export function normalRisk(mu: number, sigma: number): [number, number] {
  if (!(sigma > 0)) return [Math.max(mu, 0), Math.max(-mu, 0)];
  const z = mu / sigma;
  // Far in a tail one of the terms is 0 and the other is |μ| (GrowthBook's limit for |μ/σ| > 37).
  if (z > 37) return [mu, 0];
  if (z < -37) return [0, -mu];
  const control = mu * normalCdf(z) + sigma * normalPdf(z);
  const treatment = sigma * normalPdf(z) - mu * normalCdf(-z);
  return [control, treatment];
}

export function bayesianTest(a: VariantStats, b: VariantStats, opts: BayesianOptions = {}): BayesianResult {
  const scale = opts.scale ?? 'relative';
  const alpha = opts.alpha ?? 0.05;
  const e = effect(a, b, scale);
  if (a.n === 0 || b.n === 0 || !Number.isFinite(e.estimate) || !(e.standardError > 0))
    return { estimate: Number.isFinite(e.estimate) ? e.estimate : 0, standardError: 0, chanceToWin: 0.5, ci: [-Infinity, Infinity], risk: [0, 0], scale };
  let mu = e.estimate;
  let sigma = e.standardError;
  if (opts.prior) {
    const precData = 1 / (sigma * sigma);
    const precPrior = 1 / (opts.prior.stddev * opts.prior.stddev);
    const v = 1 / (precData + precPrior);
    mu = v * (mu * precData + opts.prior.mean * precPrior);
    sigma = Math.sqrt(v);
  }
  const z = normalQuantile(1 - alpha / 2);
  return { estimate: mu, standardError: sigma, chanceToWin: normalCdf(mu / sigma), ci: [mu - z * sigma, mu + z * sigma], risk: normalRisk(mu, sigma), scale };
}

/**
 * P(p_B > p_A) for Beta posteriors (Evan Miller's closed form; exact for integer αB). With a uniform prior,
 * αX = 1 + conversions, βX = 1 + non-conversions.
 */
export function betaChanceToBeat(alphaA: number, betaA: number, alphaB: number, betaB: number): number {
  if (!Number.isInteger(alphaB)) throw new Error('alphaB must be an integer for the closed form');
  let total = 0;
  const base = lbeta(alphaA, betaA);
  for (let i = 0; i < alphaB; i++) total += Math.exp(lbeta(alphaA + i, betaA + betaB) - Math.log(betaB + i) - lbeta(1 + i, betaB) - base);
  return Math.min(1, Math.max(0, total));
}

/** Simpson's rule over [lo, hi] with an even number of intervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, intervals: number): number {
  const h = (hi - lo) / intervals;
  let s = f(lo) + f(hi);
  for (let i = 1; i < intervals; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

/** P(each arm has the highest rate) for Beta posteriors: ∫ pdf_k Π_{j≠k} cdf_j. Sums to 1. */
export function betaProbabilityBest(arms: readonly { alpha: number; beta: number }[], intervals = 4000): number[] {
  // Integrate only where some posterior has mass: peaked posteriors (large samples) need the resolution there.
  const spread = arms.map((k) => {
    const m = k.alpha / (k.alpha + k.beta);
    const sd = Math.sqrt((k.alpha * k.beta) / ((k.alpha + k.beta) ** 2 * (k.alpha + k.beta + 1)));
    return [m - 12 * sd, m + 12 * sd] as const;
  });
  const lo = Math.max(0, Math.min(...spread.map((s) => s[0])));
  const hi = Math.min(1, Math.max(...spread.map((s) => s[1])));
  const raw = arms.map((k, i) =>
    simpson((x) => betaPdf(x, k.alpha, k.beta) * arms.reduce((p, j, jx) => (jx === i ? p : p * betaCdf(x, j.alpha, j.beta)), 1), lo, hi, intervals),
  );
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / total);
}

/** P(each arm has the highest mean) for normal posteriors N(μ_k, σ_k²), GrowthBook's bandit weights. */
export function normalProbabilityBest(arms: readonly { mean: number; stddev: number }[], intervals = 4000): number[] {
  const lo = Math.min(...arms.map((a) => a.mean - 10 * a.stddev));
  const hi = Math.max(...arms.map((a) => a.mean + 10 * a.stddev));
  const raw = arms.map((k, i) =>
    simpson((x) => (normalPdf((x - k.mean) / k.stddev) / k.stddev) * arms.reduce((p, j, jx) => (jx === i ? p : p * normalCdf((x - j.mean) / j.stddev)), 1), lo, hi, intervals),
  );
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / total);
}
